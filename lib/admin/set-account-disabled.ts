import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { findAdminUser, type AdminUser } from "@/lib/admin/admin-user";
import { lockActorAndTarget } from "@/lib/admin/lock-actor-and-target";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { revokeUserSessionRows } from "@/lib/auth/sessions/session";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";

type Input = { actorId: string; userId: string };

/**
 * A disabled account cannot sign in (login answers invalid_credentials, as
 * for a wrong password) or refresh, and every session it has ends in the same
 * transaction, so it is signed out everywhere on its next request. Disabling
 * an account that already is changes nothing.
 */
export async function disableUser(input: Input, meta: ClientMeta, now = new Date()): Promise<AdminUser> {
  if (input.actorId === input.userId) throw new AppError("ownAccount");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const target = await lockActorAndTarget(tx, input);
    if (!target.disabledAt) {
      await tx.update(users).set({ disabledAt: now, updatedAt: now }).where(eq(users.id, target.id));
      const sessionsEnded = await revokeUserSessionRows(tx, { userId: target.id, reason: "account_disabled", now });
      await recordSecurityEvent(tx, { type: "account_disabled", userId: target.id, meta, detail: { actorId: input.actorId, sessionsEnded }, now });
    }
    return (await findAdminUser(tx, target.id))!;
  });
}

/** The account may sign in again; the sessions that disabling ended stay ended. */
export async function enableUser(input: Input, meta: ClientMeta, now = new Date()): Promise<AdminUser> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const target = await lockActorAndTarget(tx, input);
    if (target.disabledAt) {
      await tx.update(users).set({ disabledAt: null, updatedAt: now }).where(eq(users.id, target.id));
      await recordSecurityEvent(tx, { type: "account_enabled", userId: target.id, meta, detail: { actorId: input.actorId }, now });
    }
    return (await findAdminUser(tx, target.id))!;
  });
}
