import { and, eq, ne } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { sessions } from "@/db/schema";
import { env } from "@/lib/env";
import { describeDevice } from "@/lib/auth/sessions/describe-device";
import type { PublicUser } from "@/lib/auth/accounts/users";
import { enqueueEmail } from "@/lib/email/outbox";
import { newDeviceSignInEmail } from "@/lib/email/templates";
import type { ClientMeta } from "@/lib/http/client-meta";

/** How many earlier sessions are compared: enough to know a user's devices, bounded for heavy users. */
const KNOWN_DEVICE_WINDOW = 50;

/**
 * Whether a sign-in comes from a kind of device (browser and system) none of
 * the account's earlier sessions used, and if so, emails the owner unless
 * they turned that email off (`emailWanted`, /settings/notifications): the
 * sign-in's security event says "new device" either way. The very first
 * sign-in of an account is not news. NOTIFY_NEW_DEVICE_SIGN_IN=false turns
 * the whole notice off.
 */
export async function noticeNewDevice(
  db: Executor,
  input: { user: PublicUser; emailWanted: boolean; sessionId: string; meta: ClientMeta; now: Date },
): Promise<boolean> {
  if (!env().NOTIFY_NEW_DEVICE_SIGN_IN) return false;
  const earlier = await db
    .select({ userAgent: sessions.userAgent })
    .from(sessions)
    .where(and(eq(sessions.userId, input.user.id), ne(sessions.id, input.sessionId)))
    .limit(KNOWN_DEVICE_WINDOW);
  if (earlier.length === 0) return false;
  const device = describeDevice(input.meta.userAgent);
  if (earlier.some((session) => describeDevice(session.userAgent) === device)) return false;
  if (input.emailWanted) {
    await enqueueEmail(
      db,
      newDeviceSignInEmail({ to: input.user.email, name: input.user.name, device, ip: input.meta.ip, at: input.now }),
      input.now,
    );
  }
  return true;
}
