import { randomBytes } from "node:crypto";
import { and, eq, gt, isNotNull, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { authorizationCodes } from "@/db/schema";
import type { AuthorizationRequest } from "@/lib/auth/native/authorization-request";
import type { InheritedAuthentication } from "@/lib/auth/sessions/open-session";
import { hashToken } from "@/lib/auth/sessions/refresh-token";
import { addSeconds } from "@/lib/auth/sessions/session";

/**
 * Long enough for the browser to hand the code to the app and the app to
 * redeem it, short enough that a code caught on the way is worth little
 * (RFC 6749 §4.1.2 says at most ten minutes).
 */
const AUTHORIZATION_CODE_TTL_SECONDS = 60;

/**
 * 256 random bits; only the SHA-256 is stored, bound to the client, redirect
 * URI, PKCE challenge and user, with the browser session's authentication
 * for the native session to inherit.
 */
export async function createAuthorizationCode(
  db: Executor,
  input: { request: AuthorizationRequest; userId: string; authentication: InheritedAuthentication; now: Date },
): Promise<string> {
  const code = randomBytes(32).toString("base64url");
  await db.insert(authorizationCodes).values({
    id: crypto.randomUUID(),
    codeHash: hashToken(code),
    userId: input.userId,
    clientId: input.request.clientId,
    redirectUri: input.request.redirectUri,
    codeChallenge: input.request.codeChallenge,
    authenticatedAt: input.authentication.authenticatedAt,
    twoFactor: input.authentication.twoFactor,
    createdAt: input.now,
    expiresAt: addSeconds(input.now, AUTHORIZATION_CODE_TTL_SECONDS),
  });
  return code;
}

export type ConsumedCode = { id: string; userId: string; clientId: string; redirectUri: string; codeChallenge: string; authentication: InheritedAuthentication };

/**
 * One conditional UPDATE: of any number of redemptions of one code, exactly
 * one gets its row, whether or not what it presents with the code matches.
 * Inside a transaction the row stays locked until the redemption commits,
 * so a concurrent one finds it used, with its session recorded.
 */
export async function consumeAuthorizationCode(db: Executor, input: { code: string; now: Date }): Promise<ConsumedCode | null> {
  const [row] = await db
    .update(authorizationCodes)
    .set({ usedAt: input.now })
    .where(and(eq(authorizationCodes.codeHash, hashToken(input.code)), isNull(authorizationCodes.usedAt), gt(authorizationCodes.expiresAt, input.now)))
    .returning({
      id: authorizationCodes.id,
      userId: authorizationCodes.userId,
      clientId: authorizationCodes.clientId,
      redirectUri: authorizationCodes.redirectUri,
      codeChallenge: authorizationCodes.codeChallenge,
      authenticatedAt: authorizationCodes.authenticatedAt,
      twoFactor: authorizationCodes.twoFactor,
    });
  if (!row) return null;
  const { authenticatedAt, twoFactor, ...code } = row;
  return { ...code, authentication: { authenticatedAt, twoFactor } };
}

/** Remembers the session a redemption opened, for a replay to revoke. */
export async function recordCodeSession(db: Executor, input: { codeId: string; sessionId: string }): Promise<void> {
  await db.update(authorizationCodes).set({ sessionId: input.sessionId }).where(eq(authorizationCodes.id, input.codeId));
}

/** A code that was already redeemed: the session its redemption opened, if it opened one. */
export async function findRedeemedCode(db: Executor, code: string): Promise<{ userId: string; sessionId: string | null } | null> {
  const [row] = await db
    .select({ userId: authorizationCodes.userId, sessionId: authorizationCodes.sessionId })
    .from(authorizationCodes)
    .where(and(eq(authorizationCodes.codeHash, hashToken(code)), isNotNull(authorizationCodes.usedAt)));
  return row ?? null;
}
