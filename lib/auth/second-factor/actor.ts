import type { LiveSession } from "@/lib/auth/sessions/session";
import { requireRecentAuthentication } from "@/lib/auth/step-up/recent-authentication";
import type { ClientMeta } from "@/lib/http/client-meta";

/**
 * Who is changing their second factors, once the session has proved its
 * person within the step-up window: a stolen session hours old cannot turn
 * the authenticator off or read fresh recovery codes (throws 403
 * reauthentication_required).
 */
export function secondFactorActor(live: LiveSession, meta: ClientMeta, now = new Date()) {
  requireRecentAuthentication(live, now);
  return { user: live.user, sessionId: live.id, meta, now };
}
