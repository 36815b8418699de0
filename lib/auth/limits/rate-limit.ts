import { sql, type SQL } from "drizzle-orm";
import { executeRows, type Executor } from "@/db/client";
import { AppError } from "@/lib/errors";

export type RateLimit = { limit: number; windowSeconds: number };
export type RateLimitResult = { allowed: boolean; retryAfterSeconds: number };

/** What countHit returns: the window's count, this hit included, and its start (timestamptz as text, as both drivers send it). */
export type CountedHit = { count: number; window_started_at: string };

/**
 * The statement that counts one hit against `key` in a fixed window and
 * returns one CountedHit. One INSERT … ON CONFLICT DO UPDATE … RETURNING: the
 * row lock makes concurrent hits from any number of instances serialise, so
 * the limit holds exactly (contract invariant 6). It runs alone (hitRateLimit)
 * or as the first step of a larger statement (the refresh rotation), hence
 * raw SQL: drizzle's insert builder costs ten times as much CPU to render it.
 * `now` comes from JS so tests can move time.
 */
export function countHit(key: string, rule: RateLimit, now: Date): SQL {
  const started = now.toISOString();
  const expired = sql`rate_limits.window_started_at <= ${new Date(now.getTime() - rule.windowSeconds * 1000).toISOString()}::timestamptz`;
  return sql`insert into rate_limits (key, count, window_started_at) values (${key}, 1, ${started}::timestamptz)
    on conflict (key) do update
       set count = case when ${expired} then 1 else rate_limits.count + 1 end,
           window_started_at = case when ${expired} then ${started}::timestamptz else rate_limits.window_started_at end
    returning count, window_started_at`;
}

/** Counts one hit against `key` and says whether it is within the limit. */
export async function hitRateLimit(db: Executor, key: string, rule: RateLimit, now: Date): Promise<RateLimitResult> {
  const [hit] = await executeRows<CountedHit>(db, countHit(key, rule, now), "count_hit");
  return judgeHit(hit!, rule, now);
}

/** Whether a counted hit is within the rule, and how long its window still runs. */
export function judgeHit(hit: CountedHit, rule: RateLimit, now: Date): RateLimitResult {
  const windowEndsAt = new Date(hit.window_started_at).getTime() + rule.windowSeconds * 1000;
  return {
    allowed: hit.count <= rule.limit,
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
