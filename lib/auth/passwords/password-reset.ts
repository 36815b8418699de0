import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { revokeUserSessions } from "@/lib/auth/sessions/devices";
import type { EmailAddress } from "@/lib/auth/accounts/email-address";
import { enforceIpLimit } from "@/lib/auth/limits/ip-limits";
import { forgetPasswordFailures } from "@/lib/auth/limits/login-throttle";
import { consumeOneTimeToken, createOneTimeToken, findUsableOneTimeToken, voidOneTimeTokens } from "@/lib/auth/accounts/one-time-token";
import { hashPassword } from "@/lib/auth/passwords/password";
import { passwordProblem } from "@/lib/auth/passwords/password-policy";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { mayEmailAddress } from "@/lib/email/address-cap";
import { enqueueEmail } from "@/lib/email/outbox";
import { passwordChangedEmail, passwordResetEmail } from "@/lib/email/templates";
import type { ClientMeta } from "@/lib/http/client-meta";

/**
 * Always the same answer (no enumeration). The owner of an active account gets
 * a link valid 30 minutes; asking again voids the previous link. Past the
 * per-address email cap nothing happens (the previous link stays valid).
 */
export async function requestPasswordReset(email: EmailAddress, meta: ClientMeta, now = new Date()): Promise<void> {
  const db = await getDb();
  await enforceIpLimit(db, "forgotPassword", meta, now);
  await db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(and(eq(users.emailCanonical, email.canonical), isNull(users.disabledAt)))
      .for("update");
    if (!user || !(await mayEmailAddress(tx, email.canonical, now))) return;
    await voidOneTimeTokens(tx, { userId: user.id, purpose: "reset_password", now });
    const link = await createOneTimeToken(tx, { userId: user.id, purpose: "reset_password", now });
    await enqueueEmail(tx, passwordResetEmail({ to: user.email, name: user.name, token: link.token }), now, { oneTimeTokenId: link.id });
    await recordSecurityEvent(tx, { type: "password_reset_requested", userId: user.id, meta, now });
  });
}

/**
 * Looks the link up before hashing, so a made-up or spent link costs no bcrypt
 * work, and a password the policy refuses (equal to the account's email or
 * name) is refused before any is done: the link still works for a better one.
 * The lookup decides nothing. The link is consumed by one conditional UPDATE
 * in the transaction that sets the password: of concurrent uses, exactly one
 * wins. It ends every session and tells the owner; it does not sign anyone
 * in: the new password does that.
 */
export async function resetPassword(input: { token: string; password: string }, meta: ClientMeta, now = new Date()): Promise<void> {
  const db = await getDb();
  await enforceIpLimit(db, "resetPassword", meta, now);
  const link = { token: input.token, purpose: "reset_password", now } as const;
  const userId = await findUsableOneTimeToken(db, link);
  const [user] = userId ? await db.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, userId)) : [];
  if (!userId || !user) throw new AppError("invalidToken");
  const problem = passwordProblem(input.password, { minLength: env().PASSWORD_MIN_LENGTH, email: user.email, name: user.name });
  if (problem) throw new AppError("invalidRequest", { fields: { password: problem } });
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    if ((await consumeOneTimeToken(tx, link)) !== userId) throw new AppError("invalidToken");
    await tx
      .update(users)
      // Following the link proved the mailbox is the user's: it counts as verified.
      .set({ passwordHash, updatedAt: now, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)` })
      .where(eq(users.id, userId));
    await revokeUserSessions(tx, { userId, reason: "password_reset", meta, now });
    // However long someone has been failing on purpose to lock the owner out, a reset lets them back in.
    await forgetPasswordFailures(tx, userId);
    await voidOneTimeTokens(tx, { userId, purpose: "reset_password", now });
    await recordSecurityEvent(tx, { type: "password_reset", userId, meta, now });
    await enqueueEmail(tx, passwordChangedEmail({ to: user.email, name: user.name }), now);
  });
}
