import { authSecret, env } from "@/lib/env";
import { keyRing } from "@/lib/auth/edge/keys";
import { getDb } from "@/db/client";

/**
 * Run once when the server starts (instrumentation.ts): a missing, weak or
 * sample secret stops start-up with a sentence that names the variable,
 * instead of failing on the first sign-in.
 */
export async function checkStartupConfig(): Promise<void> {
  env();
  authSecret();
  await keyRing();
}

/**
 * The embedded database takes seconds to open and migrate: pay that before the
 * server takes requests, not during someone's first sign-up. PostgreSQL is not
 * awaited: a server must start (and answer 503) while its database is down.
 */
async function openEmbeddedDatabase(): Promise<void> {
  if (!env().DATABASE_URL) await getDb();
}

export async function checkStartupConfigOrExit(): Promise<void> {
  try {
    await checkStartupConfig();
    await openEmbeddedDatabase();
  } catch (error) {
    console.error(`\nDoorman cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
