import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { sessions } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { revokeSessionRow, revokeUserSessionRows } from "@/lib/auth/sessions/session";
import type { ClientMeta } from "@/lib/http/client-meta";

// A user's signed-in devices: one live session family each.

export type DeviceSession = {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
};

export async function listSessions(userId: string, currentSessionId: string | null, now = new Date()): Promise<DeviceSession[]> {
  const db = await getDb();
  const rows = await db
    .select({
      id: sessions.id,
      userAgent: sessions.userAgent,
      ip: sessions.ip,
      createdAt: sessions.createdAt,
      lastUsedAt: sessions.lastUsedAt,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), gt(sessions.absoluteExpiresAt, now)))
    .orderBy(desc(sessions.lastUsedAt));
  return rows.map((row) => ({
    id: row.id,
    userAgent: row.userAgent,
    ip: row.ip,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt.toISOString(),
    current: row.id === currentSessionId,
  }));
}

/** Another user's session, or one already ended, is "not found": ids are not confirmed to strangers. */
export async function revokeOwnSession(
  input: { userId: string; sessionId: string },
  meta: ClientMeta,
  now = new Date(),
): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [owned] = await tx
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.id, input.sessionId), eq(sessions.userId, input.userId), isNull(sessions.revokedAt)))
      .for("update");
    if (!owned || !(await revokeSessionRow(tx, owned.id, "revoked_by_user", now))) throw new AppError("notFound");
    await recordSecurityEvent(tx, { type: "session_revoked", userId: input.userId, sessionId: owned.id, meta, now });
  });
}

/** Ends every live session of a user, or every one but `keep` (after a password change). */
export async function revokeUserSessions(
  db: Executor,
  input: { userId: string; keep?: string; reason: string; meta: ClientMeta; now: Date },
): Promise<number> {
  const count = await revokeUserSessionRows(db, input);
  await recordSecurityEvent(db, {
    type: "sessions_revoked",
    userId: input.userId,
    sessionId: input.keep ?? null,
    meta: input.meta,
    detail: { reason: input.reason, count },
    now: input.now,
  });
  return count;
}

/** "Sign out everywhere": this device included. */
export async function logOutEverywhere(userId: string, meta: ClientMeta, now = new Date()): Promise<number> {
  const db = await getDb();
  return db.transaction((tx) => revokeUserSessions(tx, { userId, reason: "sign_out_everywhere", meta, now }));
}
