import { and, eq, gt, isNotNull, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { rateLimits, users } from "@/db/schema";
import { deviceNonceFor } from "@/lib/auth/sessions/device-cookie";
import { verifyAgainstDummy, verifyPassword } from "@/lib/auth/passwords/password";
import { AppError } from "@/lib/errors";

// Per-account throttle (OWASP Authentication Cheat Sheet, "Account lockout";
// NIST SP 800-63B-4 §3.2.2): after FREE_FAILURES consecutive failures each
// further failure blocks for a doubling delay, capped. The right password is
// refused while blocked.
//
// Two kinds of streak (docs/decisions/0017, OWASP "device cookies"): a
// browser holding a valid device cookie for the account has a streak of its
// own; every other request (unknown browsers, native apps, unknown addresses)
// shares the account-wide one, keyed by the canonical email typed, so an
// unknown address is throttled exactly like a real one and the 429 reveals
// nothing. Failures from elsewhere therefore never lock out the owner's own
// browser, and a device cookie that keeps failing is locked out itself.

export const FREE_FAILURES = 10;
const FIRST_DELAY_SECONDS = 1;
const MAX_DELAY_SECONDS = 15 * 60;
/** Failures older than this no longer count as consecutive. */
export const FORGET_AFTER_SECONDS = 24 * 60 * 60;

const accountKey = (canonicalEmail: string) => `login:account:${canonicalEmail}`;
// An email ends in a domain, which holds no ":": one account's prefix is never another's.
const devicePrefix = (canonicalEmail: string) => `login:device:${canonicalEmail}:`;

/** From the FREE_FAILURES-th attempt of a streak on: 1 s, 2 s, 4 s … capped, counted from `from`. */
function backOffEnd(attempt: SQL | number, from: Date): SQL {
  return sql`${from.toISOString()}::timestamptz + least(${MAX_DELAY_SECONDS}, ${FIRST_DELAY_SECONDS} * power(2, least((${attempt})::int - ${FREE_FAILURES}, 20))) * interval '1 second'`;
}

/** The streak a password guess for this account, sent with this device cookie (if any), counts against. */
async function passwordGuessKey(canonicalEmail: string, deviceCookie: string | undefined): Promise<string> {
  const nonce = await deviceNonceFor(deviceCookie, canonicalEmail);
  return nonce ? `${devicePrefix(canonicalEmail)}${nonce}` : accountKey(canonicalEmail);
}

/**
 * Checks the block and counts this attempt as a failure in one atomic upsert,
 * before the password is hashed: N guesses sent at once serialise on the row,
 * so no more than FREE_FAILURES (plus one per elapsed back-off) ever reach
 * bcrypt. A success gives the attempt back with releasePasswordAttempt.
 * Returns the attempt's place in the streak; throws rateLimited (with
 * Retry-After) while blocked.
 */
async function reservePasswordAttempt(db: Executor, key: string, now: Date): Promise<number> {
  const stale = new Date(now.getTime() - FORGET_AFTER_SECONDS * 1000).toISOString();
  const count = sql`(case when ${rateLimits.windowStartedAt} <= ${stale}::timestamptz then 1 else ${rateLimits.count} + 1 end)`;
  const blockedUntil = sql`case when ${count} >= ${FREE_FAILURES} then ${backOffEnd(count, now)} else null end`;
  const [reserved] = await db
    .insert(rateLimits)
    .values({ key, count: 1, windowStartedAt: now })
    // window_started_at holds the latest attempt here: the streak ends a day after it.
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: { count, windowStartedAt: now, blockedUntil },
      setWhere: sql`${rateLimits.blockedUntil} is null or ${rateLimits.blockedUntil} <= ${now.toISOString()}::timestamptz`,
    })
    .returning({ count: rateLimits.count });
  if (reserved) return reserved.count;
  // Blocked: nothing was counted. This read only words the Retry-After.
  const [row] = await db
    .select({ blockedUntil: rateLimits.blockedUntil })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), gt(rateLimits.blockedUntil, now)));
  const until = row?.blockedUntil?.getTime() ?? now.getTime();
  throw new AppError("rateLimited", { retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) });
}

/**
 * The attempt failed. Its back-off was set when it was reserved, so hashing
 * ate into it; it now runs from the failure, as a one-at-a-time guesser
 * would expect (never shorter: later reservations may already block longer).
 */
async function backOffFromFailure(db: Executor, key: string, attempt: number, failedAt = new Date()): Promise<void> {
  if (attempt < FREE_FAILURES) return;
  await db
    .update(rateLimits)
    .set({ blockedUntil: sql`greatest(${rateLimits.blockedUntil}, ${backOffEnd(attempt, failedAt)})` })
    .where(and(eq(rateLimits.key, key), isNotNull(rateLimits.blockedUntil)));
}

/** The password was right: the streak ends. */
async function releasePasswordAttempt(db: Executor, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

export type PasswordGuess = {
  /** The canonical email typed (known or not) and the device cookie sent with it, if any. */
  canonicalEmail: string;
  deviceCookie?: string | undefined;
  password: string;
  /** The account's hash; null for no account or an account without a password (a dummy compare keeps the time). */
  hash: string | null;
  /** False when even the right password must not sign in (a disabled account): it then counts as a failure. */
  usable?: boolean;
  now: Date;
};

/**
 * Checks one password as a counted guess: reserved before the hash, backed
 * off from after a failure, given back after a success. Every door that takes
 * a password (sign-in, change-password, a verification link's typed password)
 * goes through here, so none is a way around the throttle.
 */
export async function guessPassword(db: Executor, guess: PasswordGuess): Promise<{ valid: boolean; attempt: number }> {
  const key = await passwordGuessKey(guess.canonicalEmail, guess.deviceCookie);
  const attempt = await reservePasswordAttempt(db, key, guess.now);
  const valid = guess.hash ? await verifyPassword(guess.password, guess.hash) : await verifyAgainstDummy(guess.password);
  if (valid && guess.usable !== false) await releasePasswordAttempt(db, key);
  else await backOffFromFailure(db, key, attempt);
  return { valid, attempt };
}

/**
 * A password reset proved the mailbox and set a new password: every streak of
 * the account ends, the account-wide one and each device's, so whoever had
 * been locking the owner out has to start again.
 */
export async function forgetPasswordFailures(db: Executor, userId: string): Promise<void> {
  const [user] = await db.select({ canonical: users.emailCanonical }).from(users).where(eq(users.id, userId));
  if (!user) return;
  await db
    .delete(rateLimits)
    .where(or(eq(rateLimits.key, accountKey(user.canonical)), sql`starts_with(${rateLimits.key}, ${devicePrefix(user.canonical)})`));
}
