import { eq } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { passkeys, recoveryCodes, totpFactors, users } from "@/db/schema";
import { lockActorAndTarget } from "@/lib/admin/lock-actor-and-target";
import { COMMAND_LINE } from "@/lib/auth/accounts/upsert-user";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { enqueueEmail } from "@/lib/email/outbox";
import { secondFactorsResetEmail } from "@/lib/email/templates";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";

export type SecondFactorsRemoved = { totp: boolean; recoveryCodes: number; passkeys: number };

/**
 * For a person who lost their authenticator and recovery codes: removes every
 * second factor and passkey of the account, so the password alone signs in
 * again, records who did it and tells the owner. Their sessions stay: the
 * person asking for help is usually signed in nowhere, and one who is keeps
 * what they had. Not on one's own account: an admin who could would need no
 * second factor to drop their own (use /account, which asks for one).
 */
export async function resetSecondFactors(input: { actorId: string; userId: string }, meta: ClientMeta, now = new Date()): Promise<SecondFactorsRemoved> {
  if (input.actorId === input.userId) throw new AppError("ownAccount", { message: "Manage your own second factors from your account page." });
  const db = await getDb();
  return db.transaction(async (tx) => {
    const target = await lockActorAndTarget(tx, input);
    return removeSecondFactors(tx, { userId: target.id, by: { actorId: input.actorId }, meta, now });
  });
}

/**
 * `npm run user -- reset-second-factors`: the way back in for the last admin
 * who lost theirs while the console requires one. Null: no such account.
 */
export async function resetSecondFactorsByEmail(emailCanonical: string, now = new Date()): Promise<SecondFactorsRemoved | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.emailCanonical, emailCanonical)).for("update");
    return user ? removeSecondFactors(tx, { userId: user.id, by: { via: "command_line" }, meta: COMMAND_LINE, now }) : null;
  });
}

async function removeSecondFactors(
  tx: Executor,
  input: { userId: string; by: { actorId: string } | { via: "command_line" }; meta: ClientMeta; now: Date },
): Promise<SecondFactorsRemoved> {
  const { userId, now } = input;
  const totp = await tx.delete(totpFactors).where(eq(totpFactors.userId, userId)).returning({ confirmedAt: totpFactors.confirmedAt });
  const codes = await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).returning({ id: recoveryCodes.id });
  const keys = await tx.delete(passkeys).where(eq(passkeys.userId, userId)).returning({ id: passkeys.id });
  const removed = { totp: totp.some((row) => row.confirmedAt !== null), recoveryCodes: codes.length, passkeys: keys.length };
  if (!removed.totp && removed.passkeys === 0) return removed;
  await recordSecurityEvent(tx, { type: "second_factors_reset", userId, meta: input.meta, detail: { ...input.by, ...removed }, now });
  const [owner] = await tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, userId));
  await enqueueEmail(tx, secondFactorsResetEmail({ to: owner!.email, name: owner!.name }), now);
  return removed;
}
