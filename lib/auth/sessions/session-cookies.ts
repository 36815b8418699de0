import { cookieNames, cookieOptions, type CookieOptions } from "@/lib/auth/edge/cookies";
import { sealRefreshToken, unsealRefreshToken } from "@/lib/auth/sessions/refresh-token";
import type { IssuedAccess } from "@/lib/auth/sessions/start-session";
import type { IssuedRefresh } from "@/lib/auth/sessions/session";

/** Both NextResponse.cookies and next/headers' cookies() fit this. */
export type CookieJar = {
  set(name: string, value: string, options: CookieOptions): unknown;
  get(name: string): { value: string } | undefined;
};

export function setSessionCookies(
  jar: CookieJar,
  tokens: { access: IssuedAccess; refresh: IssuedRefresh },
  now = new Date(),
): void {
  const names = cookieNames();
  const refreshSeconds = secondsUntil(tokens.refresh.expiresAt, now);
  jar.set(names.access, tokens.access.token, cookieOptions(secondsUntil(tokens.access.expiresAt, now)));
  jar.set(names.refresh, sealRefreshToken(tokens.refresh.refreshToken, refreshSeconds), cookieOptions(refreshSeconds));
}

export function clearSessionCookies(jar: CookieJar): void {
  const names = cookieNames();
  jar.set(names.access, "", cookieOptions(0));
  jar.set(names.refresh, "", cookieOptions(0));
}

export function readAccessCookie(jar: Pick<CookieJar, "get">): string | null {
  return jar.get(cookieNames().access)?.value || null;
}

export function readRefreshCookie(jar: Pick<CookieJar, "get">): string | null {
  return unsealRefreshToken(jar.get(cookieNames().refresh)?.value);
}

function secondsUntil(date: Date, now: Date): number {
  return Math.max(0, Math.floor((date.getTime() - now.getTime()) / 1000));
}
