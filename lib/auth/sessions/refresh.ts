import { rotateRefreshToken } from "@/lib/auth/sessions/rotate-refresh-token";
import type { SessionKind } from "@/lib/auth/sessions/session";
import { mintAccessToken, type SignedIn } from "@/lib/auth/sessions/start-session";
import type { ClientMeta } from "@/lib/http/client-meta";

/**
 * Rotates a refresh token and mints a fresh access token; null when the
 * session is over. Every attempt counts against the client address's refresh
 * allowance, in the rotating statement itself (lib/auth/sessions/rotate-refresh-token.ts).
 */
export async function refreshSession(
  presented: string,
  input: { kind: SessionKind; meta: ClientMeta; now?: Date },
): Promise<SignedIn | null> {
  const now = input.now ?? new Date();
  const rotated = await rotateRefreshToken(presented, { meta: input.meta, kind: input.kind, now });
  if (!rotated.ok) return null;
  const access = await mintAccessToken(rotated.user, rotated.refresh.sessionId, now);
  return { user: rotated.user, refresh: rotated.refresh, access };
}

export function refreshBrowserSession(presented: string, meta: ClientMeta, now?: Date): Promise<SignedIn | null> {
  return refreshSession(presented, { kind: "browser", meta, now });
}
