import type { Executor } from "@/db/client";
import { signAccessToken } from "@/lib/auth/edge/jwt";
import { createSession, type IssuedRefresh, type SessionKind } from "@/lib/auth/sessions/session";
import type { PublicUser } from "@/lib/auth/accounts/users";
import type { ClientMeta } from "@/lib/http/client-meta";

export type IssuedAccess = { token: string; expiresAt: Date };

export type SignedIn = { user: PublicUser; refresh: IssuedRefresh; access: IssuedAccess };

/** Opens a new session family for a user and mints its first access token. `twoFactor`, `authenticatedAt`: as createSession's. */
export async function startSession(
  db: Executor,
  input: { user: PublicUser; kind: SessionKind; meta: ClientMeta; now: Date; twoFactor?: boolean; authenticatedAt?: Date },
): Promise<SignedIn> {
  const { user, kind, meta, now, authenticatedAt } = input;
  const refresh = await createSession(db, { userId: user.id, kind, meta, now, twoFactor: input.twoFactor ?? false, authenticatedAt });
  const access = await mintAccessToken(input.user, refresh.sessionId, input.now);
  return { user: input.user, refresh, access };
}

export function mintAccessToken(user: PublicUser, sessionId: string, now: Date): Promise<IssuedAccess> {
  return signAccessToken({ userId: user.id, sessionId, role: user.role, email: user.email, name: user.name, now });
}
