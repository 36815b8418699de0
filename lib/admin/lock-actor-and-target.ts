import { asc, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { users } from "@/db/schema";
import { AppError } from "@/lib/errors";

export type LockedTarget = { id: string; role: "user" | "admin"; disabledAt: Date | null };

/**
 * Locks the acting admin's row and the target's, in id order so that two
 * admins acting on each other queue instead of deadlocking, then checks again
 * under the lock that the actor is still an enabled admin. Two admins demoting
 * or disabling each other at once therefore run one after the other, and the
 * second is refused: every change keeps its actor an admin, so the last admin
 * can never be removed through the console.
 */
export async function lockActorAndTarget(tx: Executor, input: { actorId: string; userId: string }): Promise<LockedTarget> {
  const rows = await tx
    .select({ id: users.id, role: users.role, disabledAt: users.disabledAt })
    .from(users)
    .where(inArray(users.id, [input.actorId, input.userId]))
    .orderBy(asc(users.id))
    .for("update");
  const actor = rows.find((row) => row.id === input.actorId);
  if (!actor || actor.role !== "admin" || actor.disabledAt) throw new AppError("forbidden");
  const target = rows.find((row) => row.id === input.userId);
  if (!target) throw new AppError("notFound", { message: "No user has that id." });
  return target;
}
