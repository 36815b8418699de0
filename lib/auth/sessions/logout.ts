import { getDb } from "@/db/client";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { verifyAccessToken } from "@/lib/auth/edge/jwt";
import { findSessionIdByRefreshToken, revokeSessionRow } from "@/lib/auth/sessions/session";
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

/**
 * RFC 7009 for native clients: an access token ends the session it names, a
 * refresh token the family it belongs to; anything else is silently ignored
 * (§2.2: an invalid token is not an error, and the answer reveals nothing).
 */
export async function revokeToken(token: string, meta: ClientMeta, now = new Date()): Promise<void> {
  const access = await verifyAccessToken(token);
  await logOut(access.ok ? { refreshToken: null, sessionId: access.claims.sid } : { refreshToken: token, sessionId: null }, meta, now);
}
