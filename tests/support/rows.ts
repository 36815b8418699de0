import { count, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { getDb } from "@/db/client";

/** How many rows a table holds (optionally matching a condition). */
export async function countRows(table: PgTable, where?: SQL): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return Number(row?.n ?? 0);
}
