import { getDb } from "@/db/client";
import { findAdminUser, type AdminUser } from "@/lib/admin/admin-user";
import { lockActorAndTarget } from "@/lib/admin/lock-actor-and-target";
import { assignRole } from "@/lib/auth/accounts/assign-role";
import type { Role } from "@/lib/auth/edge/jwt";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";

/**
 * Makes a user an admin or a plain user, ending every session they have so
 * that no access JWT keeps the old role claim. An admin cannot change their
 * own role (409 own_account): demoting oneself is how the last admin would
 * disappear, and promoting oneself is a no-op.
 */
export async function changeUserRole(
  input: { actorId: string; userId: string; role: Role },
  meta: ClientMeta,
  now = new Date(),
): Promise<AdminUser> {
  if (input.actorId === input.userId) throw new AppError("ownAccount");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const target = await lockActorAndTarget(tx, input);
    await assignRole(tx, { user: target, role: input.role, by: { actorId: input.actorId }, meta, now });
    return (await findAdminUser(tx, target.id))!;
  });
}
