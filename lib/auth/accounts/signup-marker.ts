import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { cookieOptions, signupCookieName } from "@/lib/auth/edge/cookies";
import { ONE_TIME_TOKEN_TTL_SECONDS } from "@/lib/auth/accounts/one-time-token";
import type { CookieJar } from "@/lib/auth/sessions/session-cookies";
import { authSecret } from "@/lib/env";

// The browser that submitted a signup holds this marker (docs/decisions/0019).
// It is a keyed function of the account and of the password hash that signup
// stored, so it proves "this browser chose the password the account has now":
// a newer signup (a new hash) or a confirmation elsewhere (no hash) voids it
// without any state of its own. A verification link signs in only beside it,
// or beside that password typed again.

export function signupMarker(userId: string, passwordHash: string): string {
  return createHmac("sha256", `doorman/signup-marker/v1/${authSecret()}`).update(`${userId}\n${passwordHash}`, "utf8").digest("base64url");
}

/** What a signup that bound nothing (an existing account, a lost race) hands out: the same length, so the answers match. */
export function decoyMarker(): string {
  return randomBytes(32).toString("base64url");
}

export function matchesSignupMarker(marker: string | null | undefined, userId: string, passwordHash: string | null): boolean {
  if (!marker || !passwordHash) return false;
  const expected = Buffer.from(signupMarker(userId, passwordHash));
  const given = Buffer.from(marker);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** As long as the link it goes with (ONE_TIME_TOKEN_TTL_SECONDS); past that, the password typed again still works. */
export function setSignupCookie(jar: CookieJar, marker: string): void {
  jar.set(signupCookieName(), marker, cookieOptions(ONE_TIME_TOKEN_TTL_SECONDS.verify_email));
}

export function readSignupCookie(jar: Pick<CookieJar, "get">): string | null {
  return jar.get(signupCookieName())?.value || null;
}

export function clearSignupCookie(jar: CookieJar): void {
  jar.set(signupCookieName(), "", cookieOptions(0));
}
