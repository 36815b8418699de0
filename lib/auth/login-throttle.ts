import { and, eq, gt, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { AppError } from "@/lib/errors";

// Per-account throttle (OWASP Authentication Cheat Sheet, "Account lockout";
// NIST SP 800-63B-4 §3.2.2): after FREE_FAILURES consecutive failures each
// further failure blocks the account for a doubling delay, capped. The key is
// the canonical email, so an unknown address is throttled exactly like a real
// one and the 429 reveals nothing. The right password is refused while blocked.

export const FREE_FAILURES = 10;
const FIRST_DELAY_SECONDS = 1;
const MAX_DELAY_SECONDS = 15 * 60;
/** Failures older than this no longer count as consecutive. */
const FORGET_AFTER_SECONDS = 24 * 60 * 60;

const keyOf = (canonicalEmail: string) => `login:account:${canonicalEmail}`;

/** Throws rateLimited with Retry-After while the account is blocked. */
export async function assertLoginNotThrottled(db: Executor, canonicalEmail: string, now: Date): Promise<void> {
  const [row] = await db
    .select({ blockedUntil: rateLimits.blockedUntil })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, keyOf(canonicalEmail)), gt(rateLimits.blockedUntil, now)));
  if (row?.blockedUntil) {
    throw new AppError("rateLimited", { retryAfterSeconds: Math.ceil((row.blockedUntil.getTime() - now.getTime()) / 1000) });
  }
}

/**
 * Counts one failure and sets the block it earns in the same atomic upsert.
 * Returns the number of consecutive failures so far.
 */
export async function recordLoginFailure(db: Executor, canonicalEmail: string, now: Date): Promise<number> {
  const stale = new Date(now.getTime() - FORGET_AFTER_SECONDS * 1000).toISOString();
  const count = sql`(case when ${rateLimits.windowStartedAt} <= ${stale}::timestamptz then 1 else ${rateLimits.count} + 1 end)`;
  // From the FREE_FAILURES-th failure on: 1 s, 2 s, 4 s … capped, computed in the same statement.
  const blockedUntil = sql`case when ${count} >= ${FREE_FAILURES}
    then ${now.toISOString()}::timestamptz + least(${MAX_DELAY_SECONDS}, ${FIRST_DELAY_SECONDS} * power(2, least(${count} - ${FREE_FAILURES}, 20))) * interval '1 second'
    else null end`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key: keyOf(canonicalEmail), count: 1, windowStartedAt: now })
    // window_started_at holds the latest failure here: the streak ends a day after it.
    .onConflictDoUpdate({ target: rateLimits.key, set: { count, windowStartedAt: now, blockedUntil } })
    .returning({ count: rateLimits.count });
  return row!.count;
}

/** A success ends the streak. */
export async function clearLoginFailures(db: Executor, canonicalEmail: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, keyOf(canonicalEmail)));
}
