import { getDb } from "@/db/client";
import { recordSecurityEvent } from "@/lib/auth/security-events";
import { findSessionIdByRefreshToken, revokeSessionRow } from "@/lib/auth/session";
import type { ClientMeta } from "@/lib/http/client-meta";

/**
 * Revokes the session behind whichever credential the caller still holds.
 * Signing out twice, or with nothing, is not an error: the caller ends signed out.
 */
export async function logOut(
  credentials: { refreshToken: string | null; sessionId: string | null },
  meta: ClientMeta,
  now = new Date(),
): Promise<void> {
  const db = await getDb();
  const sessionId =
    (credentials.refreshToken ? await findSessionIdByRefreshToken(db, credentials.refreshToken) : null) ??
    credentials.sessionId;
  if (!sessionId) return;
  await db.transaction(async (tx) => {
    const revoked = await revokeSessionRow(tx, sessionId, "sign_out", now);
    if (revoked) await recordSecurityEvent(tx, { type: "sign_out", userId: revoked.userId, sessionId, meta, now });
  });
}
