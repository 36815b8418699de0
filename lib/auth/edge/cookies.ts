import { env } from "@/lib/env";

// Edge-safe. RFC 6265bis §4.1.3.2: `__Host-` pins a cookie to this exact host,
// Secure and Path=/. Browsers only honour it over HTTPS, so plain-http
// localhost development drops the prefix (never HttpOnly or Secure: Chromium
// and Firefox keep Secure cookies on http://localhost).

export type CookieNames = { access: string; refresh: string };

function hostPrefix(): string {
  return new URL(env().APP_URL).protocol === "https:" ? "__Host-" : "";
}

export function cookieNames(): CookieNames {
  const prefix = hostPrefix();
  return { access: `${prefix}doorman.at`, refresh: `${prefix}doorman.rt` };
}

/** The device cookie (lib/auth/sessions/device-cookie.ts): it grants nothing, so it is no auth cookie. */
export function deviceCookieName(): string {
  return `${hostPrefix()}doorman.device`;
}

/** The helper cookie of the browser that submitted a signup (lib/auth/accounts/signup-marker.ts); it grants nothing alone. */
export function signupCookieName(): string {
  return `${hostPrefix()}doorman.signup`;
}

/** A single sign-on in progress (lib/auth/sso/flow-cookie.ts): its state, nonce and PKCE verifier, sealed. */
export function ssoFlowCookieName(): string {
  return `${hostPrefix()}doorman.sso-flow`;
}

/** A passkey ceremony in progress (lib/auth/passkeys/ceremony-cookie.ts): which stored challenge it answers, sealed. */
export function webauthnCookieName(): string {
  return `${hostPrefix()}doorman.webauthn`;
}

/** A sign-in whose first factor was met and whose second is awaited (lib/auth/second-factor/pending-cookie.ts), sealed. */
export function secondFactorCookieName(): string {
  return `${hostPrefix()}doorman.second-factor`;
}

export type CookieOptions = {
  httpOnly: true;
  secure: true;
  sameSite: "lax";
  path: "/";
  maxAge: number;
};

export function cookieOptions(maxAgeSeconds: number): CookieOptions {
  return { httpOnly: true, secure: true, sameSite: "lax", path: "/", maxAge: Math.max(0, Math.floor(maxAgeSeconds)) };
}
