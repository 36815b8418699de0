import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { AppError } from "@/lib/errors";

export type RateLimit = { limit: number; windowSeconds: number };
export type RateLimitResult = { allowed: boolean; retryAfterSeconds: number };

/**
 * The statement that counts one hit against `key` in a fixed window; its one
 * returned row is the window's count and start. One INSERT … ON CONFLICT DO
 * UPDATE … RETURNING: the row lock makes concurrent hits from any number of
 * instances serialise, so the limit holds exactly (contract invariant 6). It
 * runs alone (hitRateLimit) or as the first step of a larger statement (the
 * refresh rotation). `now` comes from JS so tests can move time.
 */
export function countHit(db: Executor, key: string, rule: RateLimit, now: Date) {
  const windowStart = new Date(now.getTime() - rule.windowSeconds * 1000).toISOString();
  const expired = sql`${rateLimits.windowStartedAt} <= ${windowStart}::timestamptz`;
  return db
    .insert(rateLimits)
    .values({ key, count: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${expired} then 1 else ${rateLimits.count} + 1 end`,
        windowStartedAt: sql`case when ${expired} then ${now.toISOString()}::timestamptz else ${rateLimits.windowStartedAt} end`,
      },
    })
    .returning({ count: rateLimits.count, windowStartedAt: rateLimits.windowStartedAt });
}

/** Counts one hit against `key` and says whether it is within the limit. */
export async function hitRateLimit(db: Executor, key: string, rule: RateLimit, now: Date): Promise<RateLimitResult> {
  const [window] = await countHit(db, key, rule, now);
  return judgeHit(window!, rule, now);
}

/** Whether the hit that brought a window to `count` is within the rule, and how long that window still runs. */
export function judgeHit(window: { count: number; windowStartedAt: Date }, rule: RateLimit, now: Date): RateLimitResult {
  const windowEndsAt = window.windowStartedAt.getTime() + rule.windowSeconds * 1000;
  return {
    allowed: window.count <= rule.limit,
    retryAfterSeconds: Math.max(1, Math.ceil((windowEndsAt - now.getTime()) / 1000)),
  };
}

/** Throws rateLimited (429 with Retry-After) for a hit over its limit. */
export function refuseOverLimit(result: RateLimitResult): void {
  if (!result.allowed) throw new AppError("rateLimited", { retryAfterSeconds: result.retryAfterSeconds });
}

/** hitRateLimit for callers that answer 429: throws rateLimited with Retry-After. */
export async function enforceRateLimit(db: Executor, key: string, rule: RateLimit, now: Date): Promise<void> {
  refuseOverLimit(await hitRateLimit(db, key, rule, now));
}
