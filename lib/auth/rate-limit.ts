import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { AppError } from "@/lib/errors";

export type RateLimit = { limit: number; windowSeconds: number };
export type RateLimitResult = { allowed: boolean; retryAfterSeconds: number };

/**
 * Counts one hit against `key` in a fixed window and says whether it is within
 * the limit. One INSERT … ON CONFLICT DO UPDATE … RETURNING: the row lock makes
 * concurrent hits from any number of instances serialise, so the limit holds
 * exactly (contract invariant 6). `now` comes from JS so tests can move time.
 */
export async function hitRateLimit(db: Executor, key: string, rule: RateLimit, now: Date): Promise<RateLimitResult> {
  const windowStart = new Date(now.getTime() - rule.windowSeconds * 1000).toISOString();
  const expired = sql`${rateLimits.windowStartedAt} <= ${windowStart}::timestamptz`;
  const [row] = await db
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
  const windowEndsAt = row!.windowStartedAt.getTime() + rule.windowSeconds * 1000;
  return {
    allowed: row!.count <= rule.limit,
    retryAfterSeconds: Math.max(1, Math.ceil((windowEndsAt - now.getTime()) / 1000)),
  };
}

/** hitRateLimit for callers that answer 429: throws rateLimited with Retry-After. */
export async function enforceRateLimit(db: Executor, key: string, rule: RateLimit, now: Date): Promise<void> {
  const result = await hitRateLimit(db, key, rule, now);
  if (!result.allowed) throw new AppError("rateLimited", { retryAfterSeconds: result.retryAfterSeconds });
}
