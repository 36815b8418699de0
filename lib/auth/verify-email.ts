import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { consumeOneTimeToken } from "@/lib/auth/one-time-token";
import { recordSecurityEvent } from "@/lib/auth/security-events";
import { startSession, type SignedIn } from "@/lib/auth/start-session";
import { findPublicUser } from "@/lib/auth/users";
import type { ClientMeta } from "@/lib/http/client-meta";

/** Consumes a verification link, marks the address verified and signs the user in. */
export async function verifyEmail(token: string, meta: ClientMeta, now = new Date()): Promise<SignedIn> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const userId = await consumeOneTimeToken(tx, { token, purpose: "verify_email", now });
    if (!userId) throw new AppError("invalidToken");
    // A link sent before an admin disabled the account must not sign it in; the
    // answer is the usual one (as login's is), and the rollback leaves the link unused.
    const [account] = await tx.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, userId));
    if (account?.disabledAt) throw new AppError("invalidToken");
    await tx
      .update(users)
      .set({ emailVerifiedAt: now, updatedAt: now })
      .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)));
    const user = await findPublicUser(tx, userId);
    if (!user) throw new AppError("invalidToken");
    await recordSecurityEvent(tx, { type: "email_verified", userId, meta, now });
    return startSession(tx, { user, kind: "browser", meta, now });
  });
}
