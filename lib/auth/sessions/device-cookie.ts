import { createHmac, randomBytes } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import { cookieOptions, deviceCookieName } from "@/lib/auth/edge/cookies";
import type { CookieJar } from "@/lib/auth/sessions/session-cookies";
import { authSecret } from "@/lib/env";

// OWASP Authentication Cheat Sheet, "Slow down online guessing attacks with
// device cookies" (docs/decisions/0017): a browser that has signed in to an
// account carries a sealed {account, nonce}. It grants nothing; it only says
// which throttle that browser's password guesses count against, so failures
// sent from elsewhere cannot lock the owner's own browser out.

/** Renewed by every sign-in; browsers cap cookie lifetimes near 400 days anyway. */
export const DEVICE_COOKIE_TTL_SECONDS = 365 * 24 * 60 * 60;

type DeviceClaim = { account: string; nonce: string };

// A key of its own: a device cookie never unseals as a refresh cookie, nor the reverse.
function sealPassword(): string {
  return createHmac("sha256", authSecret()).update("doorman/device-cookie/v1").digest("base64url");
}

/** After a successful password sign-in in a browser: this browser now knows the account. */
export async function setDeviceCookie(jar: CookieJar, canonicalEmail: string): Promise<void> {
  const claim: DeviceClaim = { account: canonicalEmail, nonce: randomBytes(16).toString("base64url") };
  const sealed = await sealData(claim, { password: sealPassword(), ttl: DEVICE_COOKIE_TTL_SECONDS });
  jar.set(deviceCookieName(), sealed, cookieOptions(DEVICE_COOKIE_TTL_SECONDS));
}

export function readDeviceCookie(jar: Pick<CookieJar, "get">): string | undefined {
  return jar.get(deviceCookieName())?.value || undefined;
}

/**
 * The device's nonce when `sealed` is a device cookie this server issued for
 * this very account and it has not expired; null for anything else (absent,
 * tampered, foreign, another account's).
 */
export async function deviceNonceFor(sealed: string | undefined, canonicalEmail: string): Promise<string | null> {
  if (!sealed || sealed.length > 1024) return null;
  try {
    const claim = await unsealData<Partial<DeviceClaim>>(sealed, { password: sealPassword(), ttl: DEVICE_COOKIE_TTL_SECONDS });
    return claim.account === canonicalEmail && typeof claim.nonce === "string" && claim.nonce.length > 0 ? claim.nonce : null;
  } catch {
    return null;
  }
}
