import { expect } from "vitest";
import { closeDb } from "@/db/client";
import { resetEnvCache } from "@/lib/env";

/**
 * Points the app at `url` (a dead port, a proxy) until the returned function
 * is called, which points it back at the test database.
 */
export async function switchDatabase(url: string): Promise<() => Promise<void>> {
  const original = process.env.DATABASE_URL;
  const originalDir = process.env.DATA_DIR;
  await closeDb();
  process.env.DATABASE_URL = url;
  resetEnvCache();
  return async () => {
    await closeDb();
    if (original === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = original;
    process.env.DATA_DIR = originalDir;
    resetEnvCache();
  };
}

/** Contract invariant 8's "try again": 503 with Retry-After, no cookie touched. */
export async function expectUnavailable(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(response.headers.getSetCookie()).toEqual([]);
  expect((await response.json()).error.code).toBe("temporarily_unavailable");
}
