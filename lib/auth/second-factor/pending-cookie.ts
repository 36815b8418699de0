import { z } from "zod";
import { cookieOptions, secondFactorCookieName } from "@/lib/auth/edge/cookies";
import { sealIron, unsealIron } from "@/lib/auth/iron-seal";
import type { PendingSignIn } from "@/lib/auth/sessions/open-session";
import type { CookieJar } from "@/lib/auth/sessions/session-cookies";
import { authSecret } from "@/lib/env";

// Between the first factor and the second, the browser holds who passed the
// first and how, sealed (it can neither read nor change it) and for five
// minutes: enough to open an authenticator app, short enough that a
// forgotten half-signed-in tab is worth little. It is no session: it opens
// nothing but the second-factor step, which still wants a code.

const PENDING_TTL_SECONDS = 300;

const Pending = z.object({
  purpose: z.literal("second-factor"),
  userId: z.uuid(),
  sessionKind: z.enum(["browser", "native"]),
  provider: z.string().nullable(),
  /** Checked here against the caller's clock, besides the seal's own expiry (which allows a minute of skew). */
  expiresAt: z.number(),
});

export function setPendingSignInCookie(jar: CookieJar, pending: PendingSignIn, now = new Date()): void {
  const value = { purpose: "second-factor", ...pending, expiresAt: now.getTime() + PENDING_TTL_SECONDS * 1000 };
  jar.set(secondFactorCookieName(), sealIron(value, authSecret(), PENDING_TTL_SECONDS, now.getTime()), cookieOptions(PENDING_TTL_SECONDS));
}

/** The sign-in awaiting its second factor in this browser; null when missing, expired, tampered with or not ours. */
export function readPendingSignInCookie(jar: Pick<CookieJar, "get">, now = new Date()): PendingSignIn | null {
  const sealed = jar.get(secondFactorCookieName())?.value;
  if (!sealed) return null;
  const parsed = Pending.safeParse(unsealIron(sealed, authSecret(), now.getTime()));
  if (!parsed.success || parsed.data.expiresAt <= now.getTime()) return null;
  const { userId, sessionKind, provider } = parsed.data;
  return { userId, sessionKind, provider };
}

export function clearPendingSignInCookie(jar: CookieJar): void {
  jar.set(secondFactorCookieName(), "", cookieOptions(0));
}
