import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import type { EmailAddress } from "@/lib/auth/email-address";
import { createOneTimeToken, voidOneTimeTokens } from "@/lib/auth/one-time-token";
import { enqueueEmail } from "@/lib/email/outbox";
import { verificationEmail } from "@/lib/email/templates";

/** A fresh verification link for an unverified account; the same silence for every other address. */
export async function resendVerification(email: EmailAddress, now = new Date()): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(and(eq(users.emailCanonical, email.canonical), isNull(users.emailVerifiedAt), isNull(users.disabledAt)))
      .for("update");
    if (!user) return;
    await voidOneTimeTokens(tx, { userId: user.id, purpose: "verify_email", now });
    const link = await createOneTimeToken(tx, { userId: user.id, purpose: "verify_email", now });
    await enqueueEmail(tx, verificationEmail({ to: user.email, name: user.name, token: link.token }), now, { oneTimeTokenId: link.id });
  });
}
