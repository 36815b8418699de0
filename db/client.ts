import fs from "node:fs";
import path from "node:path";
import type { SQL } from "drizzle-orm";
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import * as schema from "@/db/schema";
import { acquireDataDirLock } from "@/db/data-dir-lock";
import { cancelOnDeadline } from "@/db/cancel-on-deadline";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** What a transaction callback receives: the same query API as Database. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type Executor = Database | Tx;

const dialect = new PgDialect();

/**
 * The rows a raw `sql` statement returns, on either driver: postgres.js answers
 * with an array of rows, PGlite with `{ rows }`. Values arrive as drizzle set
 * the drivers up: timestamps as text on both (decode with `new Date(text)`,
 * as drizzle's timestamp columns do), booleans and integers as JS values.
 *
 * `preparedAs` names a statement whose text never changes and that runs on
 * hot paths (the refresh): on PostgreSQL it is then prepared once per
 * connection instead of parsed and planned every time; drizzle's execute()
 * always sends raw SQL unnamed. DATABASE_PREPARED_STATEMENTS=false still
 * turns it off for the whole client (docs/decisions/0024).
 */
export async function executeRows<Row extends Record<string, unknown>>(db: Executor, statement: SQL, preparedAs?: string): Promise<Row[]> {
  const result: unknown =
    preparedAs === undefined
      ? await db.execute(statement)
      : await db._.session.prepareQuery(dialect.sqlToQuery(statement), undefined, preparedAs, false).execute();
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Row[];
}

type Handle = { db: Database; close: () => Promise<void> };

// Kept on globalThis so that `next dev` hot reloads reuse the open database
// instead of opening the PGlite directory twice in one process.
const holder = globalThis as typeof globalThis & { __doormanDb?: Promise<Handle> };

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/** The database, opened on first use (never at import: `next build` imports this in several workers). */
export async function getDb(): Promise<Database> {
  holder.__doormanDb ??= openDatabase().catch((error: unknown) => {
    holder.__doormanDb = undefined;
    throw error;
  });
  return (await holder.__doormanDb).db;
}

export async function closeDb(): Promise<void> {
  const handle = holder.__doormanDb;
  holder.__doormanDb = undefined;
  if (handle) await (await handle).close();
}

async function openDatabase(): Promise<Handle> {
  const { DATABASE_URL, DATABASE_URL_UNPOOLED, DATABASE_PREPARED_STATEMENTS, NODE_ENV } = env();
  const handle = DATABASE_URL
    ? await openPostgres(DATABASE_URL, { prepare: DATABASE_PREPARED_STATEMENTS, pooled: DATABASE_URL_UNPOOLED !== undefined })
    : await openPglite();
  // Embedded databases and development servers migrate themselves; production
  // PostgreSQL is migrated explicitly with `npm run db:migrate`.
  if (!DATABASE_URL || NODE_ENV !== "production") await migrateDatabase(handle.db);
  return handle;
}

/**
 * Session settings that keep a request from waiting on the database for long.
 * Sent in the startup packet, they cost no round trip, but a transaction
 * pooler refuses a startup packet that carries them (PgBouncer: "unsupported
 * startup parameter"); there they belong on the database role instead
 * (README, "Pooled PostgreSQL"), and the request deadline still cancels a
 * statement that runs too long (db/cancel-on-deadline.ts).
 */
const SESSION_SETTINGS = { statement_timeout: 4000, lock_timeout: 3000, idle_in_transaction_session_timeout: 10000 };

async function openPostgres(url: string, { prepare, pooled }: { prepare: boolean; pooled: boolean }): Promise<Handle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  // Short timeouts: with the database gone, a request must fail within seconds
  // (contract invariant 8), not hang until the platform kills it.
  const client = postgres(url, {
    max: 10,
    // postgres.js sends a statement prepared only when both it and the client allow it.
    prepare,
    connect_timeout: 3,
    idle_timeout: 30,
    onnotice: () => {},
    connection: pooled ? {} : SESSION_SETTINGS,
  });
  const db = drizzle(cancelOnDeadline(client), { schema }) as unknown as Database;
  return { db, close: () => client.end({ timeout: 5 }) };
}

async function openPglite(): Promise<Handle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const dataDir = env().DATA_DIR;
  if (dataDir === "memory://") {
    const client = new PGlite();
    return { db: drizzle(client, { schema }) as unknown as Database, close: () => client.close() };
  }
  const dir = path.resolve(dataDir, "pglite");
  fs.mkdirSync(dir, { recursive: true });
  const release = acquireDataDirLock(path.resolve(dataDir));
  const client = new PGlite(dir);
  await client.waitReady;
  return {
    db: drizzle(client, { schema }) as unknown as Database,
    close: async () => {
      await client.close();
      release();
    },
  };
}

export async function migrateDatabase(db: Database): Promise<void> {
  // A transaction pooler would hand the advisory lock and the migration different server sessions.
  const { DATABASE_URL, DATABASE_URL_UNPOOLED } = env();
  if (DATABASE_URL) return migratePostgres(DATABASE_URL_UNPOOLED ?? DATABASE_URL);
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  await migrate(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
}

async function migratePostgres(url: string): Promise<void> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  // One connection, so the session-level advisory lock and the migration share it:
  // two instances starting together must not apply the same migration twice.
  const client = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(727274)`;
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.end({ timeout: 5 });
  }
}
