import { count, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { executeRows, getDb } from "@/db/client";

/** How many rows a table holds (optionally matching a condition). */
export async function countRows(table: PgTable, where?: SQL): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return Number(row?.n ?? 0);
}

/** Every row of every table, as PostgreSQL's text form of the whole row, that contains `needle`. */
export async function rowsContaining(needle: string): Promise<string[]> {
  const db = await getDb();
  const tables = await executeRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const rows = await executeRows<{ row: string }>(db, sql`select t::text as row from ${sql.identifier(name)} t`);
    for (const { row } of rows) if (row.includes(needle)) found.push(`${name}: ${row}`);
  }
  return found;
}
