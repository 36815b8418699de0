import { and, eq, ne } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { users } from "@/db/schema";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import type { ClientMeta } from "@/lib/http/client-meta";

/** Which emails the owner wants beyond the ones an account cannot do without (links, password notices). */
export type NotificationPreferences = { newDeviceSignIn: boolean };

/** Null: no such user. */
export async function readNotificationPreferences(db: Executor, userId: string): Promise<NotificationPreferences | null> {
  const [row] = await db.select({ newDeviceSignIn: users.newDeviceSignInEmails }).from(users).where(eq(users.id, userId));
  return row ?? null;
}

/**
 * Saves the owner's choice. A change is a security event: whoever turns the
 * new-device email off could be the next new device, so the account's
 * activity says when it went off, and from where. Saving what is already
 * saved changes nothing and records nothing.
 */
export async function saveNotificationPreferences(
  input: { userId: string; sessionId: string; preferences: NotificationPreferences },
  meta: ClientMeta,
  now = new Date(),
): Promise<void> {
  const { newDeviceSignIn } = input.preferences;
  const db = await getDb();
  await db.transaction(async (tx) => {
    const changed = await tx
      .update(users)
      .set({ newDeviceSignInEmails: newDeviceSignIn, updatedAt: now })
      .where(and(eq(users.id, input.userId), ne(users.newDeviceSignInEmails, newDeviceSignIn)))
      .returning({ id: users.id });
    if (changed.length === 0) return;
    await recordSecurityEvent(tx, {
      type: "notifications_changed",
      userId: input.userId,
      sessionId: input.sessionId,
      meta,
      detail: { newDeviceSignIn },
      now,
    });
  });
}
