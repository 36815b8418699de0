import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import type { TestProject } from "vitest/node";

// Vitest global setup. A fresh PGlite costs seconds (initdb in WebAssembly);
// copying a migrated data directory costs a fraction of that. Each integration
// file on PGlite starts from its own copy of this one template.

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "doorman-pglite-template-"));
  const client = new PGlite(dir);
  await migrate(drizzle(client), { migrationsFolder: path.join(import.meta.dirname, "../../db/migrations") });
  await client.close();
  project.provide("pgliteTemplate", dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
