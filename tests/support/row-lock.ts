import postgres from "postgres";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { sessions } from "@/db/schema";

export type HeldLock = {
  /** Resolves once `count` queries are blocked behind the lock (PostgreSQL), or after a pause (PGlite). */
  waitForWaiters(count: number): Promise<void>;
  release(): Promise<void>;
};

/**
 * Holds a session row locked from outside the app, so that requests started
 * meanwhile all queue up and then race the moment it is released: concurrency
 * that really overlaps, not requests that happen to finish one by one.
 * PGlite has a single connection, so there the whole database waits instead.
 */
export async function holdSessionRowLock(sessionId: string): Promise<HeldLock> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));

  const url = process.env.DATABASE_URL;
  if (url) {
    // Two connections: one holds the lock, the other watches who waits for it.
    const client = postgres(url, { max: 2, onnotice: () => {} });
    const transaction = client.begin(async (tx) => {
      await tx`select id from sessions where id = ${sessionId} for update`;
      locked();
      await released;
    });
    await isLocked;
    return {
      async waitForWaiters(count) {
        // Well inside the app's lock_timeout (3 s), or the waiters give up first.
        for (let attempt = 0; attempt < 80; attempt++) {
          const [row] = await client`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
          if ((row?.n ?? 0) >= count) return;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        throw new Error(`fewer than ${count} queries ever waited for the lock`);
      },
      async release() {
        release();
        await transaction;
        await client.end({ timeout: 5 });
      },
    };
  }

  const db = await getDb();
  const transaction = db.transaction(async (tx) => {
    await tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.id, sessionId)).for("update");
    locked();
    await released;
  });
  await isLocked;
  return {
    waitForWaiters: () => new Promise((resolve) => setTimeout(resolve, 300)),
    async release() {
      release();
      await transaction;
    },
  };
}

/**
 * `count` requests started while the session row is held, let go at once when
 * `waiting` of them queue behind it (the app's pool lets at most 10 reach the
 * row together): their answers.
 */
export async function raceBehindRowLock<T>(sessionId: string, count: number, waiting: number, request: () => Promise<T>): Promise<T[]> {
  const lock = await holdSessionRowLock(sessionId);
  const pending = Array.from({ length: count }, request);
  await lock.waitForWaiters(waiting);
  await lock.release();
  return Promise.all(pending);
}
