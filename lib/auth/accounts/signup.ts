import { eq } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { users } from "@/db/schema";
import { enforceIpLimit } from "@/lib/auth/limits/ip-limits";
import { hashPassword } from "@/lib/auth/passwords/password";
import { createOneTimeToken, voidOneTimeTokens } from "@/lib/auth/accounts/one-time-token";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { decoyMarker, signupMarker } from "@/lib/auth/accounts/signup-marker";
import type { SignupInput } from "@/lib/auth/schemas";
import { mayEmailAddress } from "@/lib/email/address-cap";
import { enqueueEmail } from "@/lib/email/outbox";
import { signupExistingAccountEmail, verificationEmail } from "@/lib/email/templates";
import type { ClientMeta } from "@/lib/http/client-meta";

/** `marker` goes to the signing-up browser's helper cookie (lib/auth/accounts/signup-marker.ts). */
export type SignupResult = { status: "verification_sent"; marker: string };

/**
 * Same answer whether or not the address has an account (no enumeration): a
 * new address gets a verification link, an existing one a notice to its owner,
 * and every caller a marker cookie of the same shape. The password is hashed
 * in every case so they take the same time. Past the per-address email cap
 * the message is dropped and the answer is the same.
 *
 * An address that is not verified yet belongs to nobody: a new signup for it
 * replaces the name and password of the pending one and voids its links and
 * its marker (docs/decisions/0019), so an earlier stranger's signup never
 * becomes the account its owner confirms.
 */
export async function signUp(input: SignupInput, meta: ClientMeta, now = new Date()): Promise<SignupResult> {
  const db = await getDb();
  await enforceIpLimit(db, "signup", meta, now);
  const passwordHash = await hashPassword(input.password);
  const userId = await db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: users.id, email: users.email, verifiedAt: users.emailVerifiedAt, disabledAt: users.disabledAt })
      .from(users)
      .where(eq(users.emailCanonical, input.email.canonical))
      .for("update");
    if (existing && (existing.verifiedAt || existing.disabledAt)) {
      if (await mayEmailAddress(tx, input.email.canonical, now)) {
        await enqueueEmail(tx, signupExistingAccountEmail({ to: existing.email }), now);
      }
      return null;
    }
    const pending = existing ? await replacePendingSignup(tx, existing.id, input, passwordHash, now) : await insertPendingSignup(tx, input, passwordHash, now);
    if (!pending) return null;
    await recordSecurityEvent(tx, { type: "sign_up", userId: pending, meta, now });
    // An address flooded with "someone tried to sign up" notices gets no link either; resending works once the hour is over.
    if (!(await mayEmailAddress(tx, input.email.canonical, now))) return pending;
    const link = await createOneTimeToken(tx, { userId: pending, purpose: "verify_email", now });
    await enqueueEmail(tx, verificationEmail({ to: existing?.email ?? input.email.address, token: link.token }), now, { oneTimeTokenId: link.id });
    return pending;
  });
  return { status: "verification_sent", marker: userId ? signupMarker(userId, passwordHash) : decoyMarker() };
}

async function insertPendingSignup(tx: Executor, input: SignupInput, passwordHash: string, now: Date): Promise<string | null> {
  // A concurrent signup for the same address loses on the unique index; the
  // conflict-free insert keeps this transaction (and its answer) unchanged.
  const [inserted] = await tx
    .insert(users)
    .values({
      id: crypto.randomUUID(),
      email: input.email.address,
      emailCanonical: input.email.canonical,
      name: input.name,
      passwordHash,
      role: "user",
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: users.emailCanonical })
    .returning({ id: users.id });
  return inserted?.id ?? null;
}

/** The new hash voids the old marker by itself; voiding the links leaves only the one this signup sends. */
async function replacePendingSignup(tx: Executor, userId: string, input: SignupInput, passwordHash: string, now: Date): Promise<string> {
  await tx.update(users).set({ name: input.name, passwordHash, updatedAt: now }).where(eq(users.id, userId));
  await voidOneTimeTokens(tx, { userId, purpose: "verify_email", now });
  return userId;
}
