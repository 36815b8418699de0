import { eq } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { users } from "@/db/schema";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { enforceRateLimit, type RateLimit } from "@/lib/auth/limits/rate-limit";
import { consumeRecoveryCode, countRemainingRecoveryCodes } from "@/lib/auth/second-factor/recovery-codes";
import { acceptTotpCode } from "@/lib/auth/second-factor/totp-factor";
import { enqueueEmail } from "@/lib/email/outbox";
import { recoveryCodeUsedEmail } from "@/lib/email/templates";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";

/**
 * Codes per account, TOTP and recovery codes together, whoever sends them:
 * 10 per 15 minutes. Each TOTP guess matches one of three steps' codes, so
 * the odds are 3 in a million a guess: at most 960 guesses a day is under
 * 0.3% a day for someone who already has the password, and every miss is a
 * `second_factor_failed` event on the owner's activity. Ten lets a person fumble
 * a few times, and the wait is a quarter of an hour at most (NIST SP 800-63B
 * §5.2.2 asks for no more than 100 consecutive failures). Counted before the
 * code is looked at, so a burst of guesses gets ten checks, the rest 429.
 */
export const SECOND_FACTOR_LIMIT: RateLimit = { limit: 10, windowSeconds: 15 * 60 };

export type SecondFactorMethod = "totp" | "recovery_code";

/** Counts one code attempt against the account; throws rateLimited (429, Retry-After) past the limit. */
export function countSecondFactorAttempt(db: Executor, userId: string, now: Date): Promise<void> {
  return enforceRateLimit(db, `second_factor:${userId}`, SECOND_FACTOR_LIMIT, now);
}

/**
 * The one check of a second-factor code, for sign-in and step-up alike: a
 * six-digit code from the account's confirmed authenticator, or one of its
 * recovery codes (used up, with an event and an email to the owner). Throws
 * invalidCode (recording `second_factor_failed`) or rateLimited.
 */
export async function verifySecondFactorCode(
  db: Database,
  input: { userId: string; code: string; meta: ClientMeta; now: Date },
): Promise<{ method: SecondFactorMethod }> {
  const { userId, meta, now } = input;
  await countSecondFactorAttempt(db, userId, now);
  const code = input.code.replace(/\s/g, "");
  if (await acceptTotpCode(db, { userId, code, now, confirmed: true })) return { method: "totp" };
  if (await useRecoveryCode(db, { userId, code, meta, now })) return { method: "recovery_code" };
  await recordSecurityEvent(db, { type: "second_factor_failed", userId, meta, now });
  throw new AppError("invalidCode");
}

async function useRecoveryCode(db: Database, input: { userId: string; code: string; meta: ClientMeta; now: Date }): Promise<boolean> {
  const { userId, meta, now } = input;
  return db.transaction(async (tx) => {
    if (!(await consumeRecoveryCode(tx, { userId, code: input.code, now }))) return false;
    const remaining = await countRemainingRecoveryCodes(tx, userId);
    await recordSecurityEvent(tx, { type: "recovery_code_used", userId, meta, detail: { remaining }, now });
    const [owner] = await tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, userId));
    if (owner) await enqueueEmail(tx, recoveryCodeUsedEmail({ to: owner.email, name: owner.name, remaining }), now);
    return true;
  });
}

