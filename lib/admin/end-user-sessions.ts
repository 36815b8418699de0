import { getDb } from "@/db/client";
import { lockActorAndTarget } from "@/lib/admin/lock-actor-and-target";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { revokeUserSessionRows } from "@/lib/auth/sessions/session";
import type { ClientMeta } from "@/lib/http/client-meta";

/**
 * Signs a user out everywhere. Their access JWTs stop working on their next
 * request (the data access layer asks the database), their refresh tokens at
 * once. An admin may do this to themselves too: it is "sign out everywhere".
 */
export async function endUserSessions(
  input: { actorId: string; userId: string },
  meta: ClientMeta,
  now = new Date(),
): Promise<{ sessionsEnded: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await lockActorAndTarget(tx, input);
    const sessionsEnded = await revokeUserSessionRows(tx, { userId: input.userId, reason: "revoked_by_admin", now });
    await recordSecurityEvent(tx, {
      type: "admin_sessions_revoked",
      userId: input.userId,
      meta,
      detail: { actorId: input.actorId, sessionsEnded },
      now,
    });
    return { sessionsEnded };
  });
}
