import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { recoveryCodes, totpFactors } from "@/db/schema";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { countRemainingRecoveryCodes, replaceRecoveryCodes } from "@/lib/auth/second-factor/recovery-codes";
import { encodeBase32, generateTotpSecret, otpauthUri } from "@/lib/auth/second-factor/totp";
import { acceptTotpCode, hasConfirmedTotp, sealTotpSecret, unsealTotpSecret } from "@/lib/auth/second-factor/totp-factor";
import { countSecondFactorAttempt } from "@/lib/auth/second-factor/verify-second-factor";
import { enqueueEmail } from "@/lib/email/outbox";
import { recoveryCodesGeneratedEmail, totpDisabledEmail, totpEnabledEmail } from "@/lib/email/templates";
import { AppError } from "@/lib/errors";
import { markAuthenticated } from "@/lib/auth/step-up/recent-authentication";
import type { ClientMeta } from "@/lib/http/client-meta";

// Turning the authenticator on and off. Each step is a sensitive change: the
// route or action that calls these has required a recent authentication
// (lib/auth/step-up/recent-authentication.ts) first.

/** The name authenticator apps show beside the account's address. */
const ISSUER = "Doorman";

type Actor = { user: { id: string; email: string; name: string }; sessionId: string; meta: ClientMeta; now: Date };

export type TotpStatus = { enabled: boolean; recoveryCodesLeft: number };
/** What the authenticator app needs: the secret as text (base32) and as the otpauth URI the QR code carries. */
export type TotpSetup = { secret: string; otpauthUri: string };

export async function readTotpStatus(db: Database, userId: string): Promise<TotpStatus> {
  const enabled = await hasConfirmedTotp(db, userId);
  return { enabled, recoveryCodesLeft: enabled ? await countRemainingRecoveryCodes(db, userId) : 0 };
}

/**
 * A new secret, not yet guarding anything: it replaces an earlier unconfirmed
 * one (a set-up begun and abandoned), never a confirmed one, which must be
 * turned off first.
 */
export async function beginTotpEnrolment(db: Database, actor: Actor): Promise<TotpSetup> {
  const secret = generateTotpSecret();
  const row = { userId: actor.user.id, secretSealed: sealTotpSecret(secret, actor.now), confirmedAt: null, lastUsedStep: 0, createdAt: actor.now };
  const written = await db
    .insert(totpFactors)
    .values(row)
    .onConflictDoUpdate({ target: totpFactors.userId, set: row, setWhere: sql`${totpFactors.confirmedAt} is null` })
    .returning({ userId: totpFactors.userId });
  if (written.length === 0) throw new AppError("totpAlreadyEnabled");
  return describeSetup(secret, actor.user.email);
}

/** The set-up begun and not yet confirmed, to show again (the account page draws it on every visit until confirmed). */
export async function readTotpSetup(db: Database, user: { id: string; email: string }, now: Date): Promise<TotpSetup | null> {
  const [factor] = await db
    .select({ secretSealed: totpFactors.secretSealed })
    .from(totpFactors)
    .where(and(eq(totpFactors.userId, user.id), sql`${totpFactors.confirmedAt} is null`));
  const secret = factor ? unsealTotpSecret(factor.secretSealed, now) : null;
  // A set-up sealed under an earlier AUTH_SECRET cannot be shown: "Set up" begins a new one.
  return secret ? describeSetup(secret, user.email) : null;
}

function describeSetup(secret: Buffer, email: string): TotpSetup {
  return { secret: encodeBase32(secret), otpauthUri: otpauthUri({ secret, issuer: ISSUER, accountName: email }) };
}

/**
 * A right code from the new secret turns it on, and the ten recovery codes
 * are made: returned here once, never again. Wrong codes count against the
 * same throttle as sign-in codes.
 */
export async function confirmTotpEnrolment(db: Database, actor: Actor & { code: string }): Promise<{ recoveryCodes: string[] }> {
  const { user, meta, now } = actor;
  await countSecondFactorAttempt(db, user.id, now);
  return db.transaction(async (tx) => {
    if (!(await acceptTotpCode(tx, { userId: user.id, code: actor.code.replace(/\s/g, ""), now, confirmed: false, confirmAt: now }))) {
      throw new AppError("invalidCode");
    }
    const codes = await replaceRecoveryCodes(tx, user.id, now);
    // The code just typed proved this person holds the authenticator: the session is now a two-factor one.
    await markAuthenticated(tx, { sessionId: actor.sessionId, twoFactor: true, now });
    await recordSecurityEvent(tx, { type: "totp_enabled", userId: user.id, sessionId: actor.sessionId, meta, now });
    await enqueueEmail(tx, totpEnabledEmail({ to: user.email, name: user.name }), now);
    return { recoveryCodes: codes };
  });
}

/** Turns the authenticator off and voids the recovery codes; a set-up in progress is dropped silently. */
export async function disableTotp(db: Database, actor: Actor): Promise<void> {
  const { user, meta, now } = actor;
  await db.transaction(async (tx) => {
    const removed = await tx.delete(totpFactors).where(eq(totpFactors.userId, user.id)).returning({ confirmedAt: totpFactors.confirmedAt });
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    if (!removed[0]?.confirmedAt) throw new AppError("totpNotEnabled");
    await recordSecurityEvent(tx, { type: "totp_disabled", userId: user.id, sessionId: actor.sessionId, meta, now });
    await enqueueEmail(tx, totpDisabledEmail({ to: user.email, name: user.name }), now);
  });
}

/** Ten new recovery codes; every earlier one, used or not, stops working. */
export async function regenerateRecoveryCodes(db: Database, actor: Actor): Promise<{ recoveryCodes: string[] }> {
  const { user, meta, now } = actor;
  return db.transaction(async (tx) => {
    const [factor] = await tx
      .select({ userId: totpFactors.userId })
      .from(totpFactors)
      .where(and(eq(totpFactors.userId, user.id), isNotNull(totpFactors.confirmedAt)))
      .for("update");
    if (!factor) throw new AppError("totpNotEnabled");
    const codes = await replaceRecoveryCodes(tx, user.id, now);
    await recordSecurityEvent(tx, { type: "recovery_codes_generated", userId: user.id, sessionId: actor.sessionId, meta, now });
    await enqueueEmail(tx, recoveryCodesGeneratedEmail({ to: user.email, name: user.name }), now);
    return { recoveryCodes: codes };
  });
}
