import { getDb } from "@/db/client";
import { findAdminUser, type AdminUser } from "@/lib/admin/admin-user";
import { listSessions, type DeviceSession } from "@/lib/auth/sessions/devices";
import { listApiKeys } from "@/lib/auth/api-keys/list-api-keys";
import type { ApiKeyView } from "@/lib/auth/api-keys/api-key-view";
import { listUserActivityForAdmin, type SecurityActivity } from "@/lib/auth/events/security-activity";
import { signInMethods, type SignInMethods } from "@/lib/auth/step-up/sign-in-methods";

export type UserDetails = { user: AdminUser; sessions: DeviceSession[]; apiKeys: ApiKeyView[]; events: SecurityActivity[]; signInMethods: SignInMethods };

/**
 * One account as an admin sees it: the user, their live sessions (newest use
 * first; `current` marks the admin's own when they look at themselves) and
 * their API keys that were not revoked, their recent security events, and
 * how they can sign in (password, second factors, providers). Null when no user has that id.
 */
export async function getUserDetails(userId: string, viewerSessionId: string | null, now = new Date()): Promise<UserDetails | null> {
  const db = await getDb();
  const user = await findAdminUser(db, userId);
  if (!user) return null;
  const [sessions, apiKeys, events, methods] = await Promise.all([
    listSessions(userId, viewerSessionId, now),
    listApiKeys(db, userId),
    listUserActivityForAdmin(db, userId),
    signInMethods(db, userId),
  ]);
  return { user, sessions, apiKeys, events, signInMethods: methods };
}
