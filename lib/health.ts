import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";

// What the readiness probe asks (app/api/health/ready, docs/decisions/0026):
// can this instance reach its database now? Liveness asks nothing of anyone.

/**
 * Resolves once the database answers a trivial query; throws what it threw
 * otherwise. Run it under the database deadline (route() in
 * lib/http/respond.ts), which turns a silent database into a 503 in time.
 */
export async function checkDatabase(): Promise<void> {
  await (await getDb()).execute(sql`select 1`);
}
