import type { Executor } from "@/db/client";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import type { PublicUser } from "@/lib/auth/accounts/users";
import type { SessionKind } from "@/lib/auth/sessions/session";
import { noticeNewDevice } from "@/lib/auth/sessions/new-device-notice";
import { startSession, type SignedIn } from "@/lib/auth/sessions/start-session";
import type { ClientMeta } from "@/lib/http/client-meta";

/**
 * What every sign-in does once the person has proved who they are: open the
 * session, tell the owner about a new device, and record the `sign_in` event
 * (its `detail` says how, beside `newDevice`). Run inside the caller's
 * transaction.
 */
export async function finishSignIn(
  tx: Executor,
  input: {
    user: PublicUser;
    emailWanted: boolean;
    kind: SessionKind;
    meta: ClientMeta;
    now: Date;
    twoFactor?: boolean;
    detail?: Record<string, unknown>;
  },
): Promise<SignedIn> {
  const { user, kind, meta, now } = input;
  const signedIn = await startSession(tx, { user, kind, meta, now, twoFactor: input.twoFactor });
  const sessionId = signedIn.refresh.sessionId;
  const newDevice = await noticeNewDevice(tx, { user, emailWanted: input.emailWanted, sessionId, meta, now });
  await recordSecurityEvent(tx, { type: "sign_in", userId: user.id, sessionId, meta, detail: { newDevice, ...input.detail }, now });
  return signedIn;
}
