import { getDb } from "@/db/client";
import { createAuthorizationCode } from "@/lib/auth/native/authorization-codes";
import type { LiveSession } from "@/lib/auth/sessions/session";
import { redirectBack, type AuthorizationRequest, type ReadAuthorization } from "@/lib/auth/native/authorization-request";
import { appOrigin } from "@/lib/env";

// The authorization endpoint's answers (RFC 6749 §4.1.2), as addresses to
// send the browser to. No consent screen: only Doorman's own apps are
// registered (docs/decisions/0034).

/**
 * A signed-in user approved by being signed in: a fresh code, back to the
 * app. `iss` is RFC 9207's. The code carries the browser session's
 * authentication, not a new one: being signed in is no proof of presence.
 */
export async function issueAuthorizationCode(request: AuthorizationRequest, session: LiveSession, now = new Date()): Promise<string> {
  const authentication = { authenticatedAt: session.authenticatedAt, twoFactor: session.twoFactor };
  const code = await createAuthorizationCode(await getDb(), { request, userId: session.userId, authentication, now });
  return redirectBack(request.redirectUri, { code, state: request.state }, appOrigin());
}

/** A refused request whose redirect URI is verified: the error goes back to the app. */
export function authorizationErrorRedirect(refused: Extract<ReadAuthorization, { kind: "error" }>): string {
  return redirectBack(refused.redirectUri, { error: refused.error, error_description: refused.description, state: refused.state }, appOrigin());
}

/** Not signed in here: the sign-in page, which comes back to this very request (its page refreshes an expired token itself). */
export function signInFirst(pathAndQuery: string): string {
  const login = new URL("/login", appOrigin());
  login.search = new URLSearchParams({ next: pathAndQuery }).toString();
  return login.toString();
}
