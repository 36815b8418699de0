import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { users } from "@/db/schema";
import type { Role } from "@/lib/auth/edge/jwt";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { revokeUserSessionRows } from "@/lib/auth/sessions/session";
import type { ClientMeta } from "@/lib/http/client-meta";

/** Who changed a role: an admin in the console or API, or an operator on the command line. */
export type RoleChangedBy = { actorId: string } | { via: "command_line" };

/**
 * Sets a user's role and ends every session they have (SECURITY.md: a role
 * change ends every affected session), so no access JWT goes on claiming the
 * old role until it expires. Setting the role a user already has changes
 * nothing and ends nothing. Runs inside the caller's transaction.
 */
export async function assignRole(
  tx: Executor,
  input: { user: { id: string; role: Role }; role: Role; by: RoleChangedBy; meta: ClientMeta; now: Date },
): Promise<{ changed: boolean; sessionsEnded: number }> {
  const { user, role, now } = input;
  if (user.role === role) return { changed: false, sessionsEnded: 0 };
  await tx.update(users).set({ role, updatedAt: now }).where(eq(users.id, user.id));
  const sessionsEnded = await revokeUserSessionRows(tx, { userId: user.id, reason: "role_changed", now });
  await recordSecurityEvent(tx, {
    type: "role_changed",
    userId: user.id,
    meta: input.meta,
    detail: { ...input.by, from: user.role, to: role, sessionsEnded },
    now,
  });
  return { changed: true, sessionsEnded };
}
