import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The middleware runs on Node.js (docs/decisions/0023), where nothing stops an
// import from reaching the database. Contract invariant 4 says it never does:
// it verifies with public keys only and leaves every database read to the
// route handlers. This walks everything it imports and holds it to what the
// edge runtime allowed, so the invariant is kept by construction and the file
// can go back to the edge by changing one line.

const root = path.resolve(import.meta.dirname, "../..");

const IMPORT = /^\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|^\s*import\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;

/** A module id as written in source, to a file in the repository (null: a package). */
function resolveLocal(specifier: string, from: string): string | null {
  const base = specifier.startsWith("@/") ? path.join(root, specifier.slice(2)) : specifier.startsWith(".") ? path.resolve(path.dirname(from), specifier) : null;
  if (!base) return null;
  const candidates = [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")];
  const found = candidates.find((file) => existsSync(file) && !file.endsWith("/"));
  if (!found) throw new Error(`${path.relative(root, from)} imports ${specifier}, which does not resolve`);
  return found;
}

/** Every repository file and package the entry reaches through static and dynamic imports. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3]!;
      const local = resolveLocal(specifier, file);
      if (local) queue.push(local);
      else packages.add(specifier);
    }
  }
  return { files, packages };
}

describe("the middleware never reaches the database", () => {
  const { files, packages } = importGraph(path.join(root, "middleware.ts"));
  const relative = [...files].map((file) => path.relative(root, file));

  it("walks the real graph (control: the verifier and the refresh call are in it)", () => {
    expect(relative).toEqual(expect.arrayContaining(["middleware.ts", "lib/auth/edge/jwt.ts", "lib/auth/edge/keys.ts", "lib/env.ts"]));
    expect(packages).toContain("next/server");
  });

  it("imports no database module, driver, ORM or server-only module", () => {
    expect(relative.filter((file) => file.startsWith("db/"))).toEqual([]);
    const forbidden = [...packages].filter((name) => /^(postgres|@electric-sql\/pglite|drizzle-orm|server-only|iron-session|bcryptjs)(\/|$)/.test(name));
    expect(forbidden).toEqual([]);
  });

  it("imports no Node.js built-in, so it still runs on the edge runtime", () => {
    const builtins = [...packages].filter((name) => name.startsWith("node:") || ["fs", "net", "crypto", "path", "async_hooks"].includes(name));
    expect(builtins).toEqual([]);
  });
});
