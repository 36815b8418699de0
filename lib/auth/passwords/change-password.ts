import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { revokeUserSessions } from "@/lib/auth/sessions/devices";
import { guessPassword } from "@/lib/auth/limits/login-throttle";
import { voidOneTimeTokens } from "@/lib/auth/accounts/one-time-token";
import { hashPassword } from "@/lib/auth/passwords/password";
import { passwordProblem } from "@/lib/auth/passwords/password-policy";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { enqueueEmail } from "@/lib/email/outbox";
import { passwordChangedEmail } from "@/lib/email/templates";
import type { ClientMeta } from "@/lib/http/client-meta";
import { isRecentlyAuthenticated, markAuthenticated } from "@/lib/auth/step-up/recent-authentication";
import { hasSecondFactor, signInMethods } from "@/lib/auth/step-up/sign-in-methods";

/**
 * Needs the current password; revokes every other session (a thief's
 * included) and keeps this one; tells the owner by email. The current-password
 * check is a sign-in by another door: it counts exactly where a sign-in from
 * this browser would (its device streak when it carries the account's device
 * cookie, else the account-wide one), or a stolen session could guess the
 * password without limit. docs/decisions/0017 says why not always the
 * account-wide streak.
 *
 * Step-up (docs/decisions/0036): the current password is itself the proof for
 * an account without a second factor, and renews the session's window. An
 * account with one wants the window open already (stepped up with that
 * factor), or a phished password and an old session would be enough.
 */
export async function changePassword(
  input: { userId: string; sessionId: string; authenticatedAt: Date; currentPassword: string; newPassword: string; deviceCookie?: string },
  meta: ClientMeta,
  now = new Date(),
): Promise<void> {
  const db = await getDb();
  const [user] = await db
    .select({ email: users.email, emailCanonical: users.emailCanonical, name: users.name, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, input.userId));
  if (!user) throw new AppError("invalidSession");
  if (!isRecentlyAuthenticated(input, now) && hasSecondFactor(await signInMethods(db, input.userId))) throw new AppError("reauthenticationRequired");
  // An account confirmed from another browser has no password yet (docs/decisions/0019): the same answer, the same cost.
  const { valid } = await guessPassword(db, {
    canonicalEmail: user.emailCanonical,
    deviceCookie: input.deviceCookie,
    password: input.currentPassword,
    hash: user.passwordHash,
    now,
  });
  if (!valid) throw new AppError("wrongCurrentPassword", { fields: { currentPassword: "The current password is incorrect." } });
  // After the current password, so the answer cannot be used to test guesses about the email or name.
  const problem = passwordProblem(input.newPassword, { minLength: env().PASSWORD_MIN_LENGTH, email: user.email, name: user.name });
  if (problem) throw new AppError("invalidRequest", { fields: { newPassword: problem } });
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, input.userId));
    await revokeUserSessions(tx, { userId: input.userId, keep: input.sessionId, reason: "password_changed", meta, now });
    await markAuthenticated(tx, { sessionId: input.sessionId, twoFactor: false, now });
    // A reset link sent before the change must not undo it: whoever reads that mail could, for 30 minutes.
    await voidOneTimeTokens(tx, { userId: input.userId, purpose: "reset_password", now });
    await recordSecurityEvent(tx, { type: "password_changed", userId: input.userId, sessionId: input.sessionId, meta, now });
    await enqueueEmail(tx, passwordChangedEmail({ to: user.email, name: user.name }), now);
  });
}
