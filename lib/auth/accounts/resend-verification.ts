import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import type { EmailAddress } from "@/lib/auth/accounts/email-address";
import { enforceIpLimit } from "@/lib/auth/limits/ip-limits";
import { createOneTimeToken, voidOneTimeTokens } from "@/lib/auth/accounts/one-time-token";
import { mayEmailAddress } from "@/lib/email/address-cap";
import { enqueueEmail } from "@/lib/email/outbox";
import type { ClientMeta } from "@/lib/http/client-meta";
import { verificationEmail } from "@/lib/email/templates";

/**
 * A fresh verification link for an unverified account; the same silence for
 * every other address, and for one past the per-address email cap (whose
 * previous link then stays valid).
 */
export async function resendVerification(email: EmailAddress, meta: ClientMeta, now = new Date()): Promise<void> {
  const db = await getDb();
  await enforceIpLimit(db, "resendVerification", meta, now);
  await db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.emailCanonical, email.canonical), isNull(users.emailVerifiedAt), isNull(users.disabledAt)))
      .for("update");
    if (!user || !(await mayEmailAddress(tx, email.canonical, now))) return;
    await voidOneTimeTokens(tx, { userId: user.id, purpose: "verify_email", now });
    const link = await createOneTimeToken(tx, { userId: user.id, purpose: "verify_email", now });
    await enqueueEmail(tx, verificationEmail({ to: user.email, token: link.token }), now, { oneTimeTokenId: link.id });
  });
}
