import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { enforceIpLimit } from "@/lib/auth/ip-limits";
import { hashPassword } from "@/lib/auth/password";
import { createOneTimeToken } from "@/lib/auth/one-time-token";
import { recordSecurityEvent } from "@/lib/auth/security-events";
import type { SignupInput } from "@/lib/auth/schemas";
import { mayEmailAddress } from "@/lib/email/address-cap";
import { enqueueEmail } from "@/lib/email/outbox";
import { signupExistingAccountEmail, verificationEmail } from "@/lib/email/templates";
import type { ClientMeta } from "@/lib/http/client-meta";

export type SignupResult = { status: "verification_sent" };

/**
 * Same answer whether or not the address has an account (no enumeration): a
 * new address gets a verification link, an existing one a notice to its owner.
 * The password is hashed in both cases so the two take the same time. Past
 * the per-address email cap the message is dropped and the answer is the same.
 */
export async function signUp(input: SignupInput, meta: ClientMeta, now = new Date()): Promise<SignupResult> {
  const db = await getDb();
  await enforceIpLimit(db, "signup", meta, now);
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(eq(users.emailCanonical, input.email.canonical))
      .for("update");
    if (existing) {
      if (!(await mayEmailAddress(tx, input.email.canonical, now))) return;
      await enqueueEmail(tx, signupExistingAccountEmail({ to: existing.email, name: existing.name }), now);
      return;
    }
    const userId = crypto.randomUUID();
    // A concurrent signup for the same address loses on the unique index; the
    // conflict-free insert keeps this transaction (and its answer) unchanged.
    const inserted = await tx
      .insert(users)
      .values({
        id: userId,
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
    if (inserted.length === 0) return;
    await recordSecurityEvent(tx, { type: "sign_up", userId, meta, now });
    // An address flooded with "someone tried to sign up" notices gets no link either; resending works once the hour is over.
    if (!(await mayEmailAddress(tx, input.email.canonical, now))) return;
    const link = await createOneTimeToken(tx, { userId, purpose: "verify_email", now });
    await enqueueEmail(tx, verificationEmail({ to: input.email.address, name: input.name, token: link.token }), now, {
      oneTimeTokenId: link.id,
    });
  });
  return { status: "verification_sent" };
}
