import { expect, type BrowserContext, type Response } from "@playwright/test";

// Over plain http on localhost the cookies carry no __Host- prefix (lib/auth/edge/cookies.ts).
export const ACCESS_COOKIE = "doorman.at";
export const REFRESH_COOKIE = "doorman.rt";
/** Set by every password sign-in in a browser; grants nothing (docs/decisions/0017). */
export const DEVICE_COOKIE = "doorman.device";
/** The marker of the browser that submitted a signup (docs/decisions/0019). */
export const SIGNUP_COOKIE = "doorman.signup";

/** A passkey ceremony in progress: /login starts one for the email field's passkey suggestions. Grants nothing. */
export const WEBAUTHN_COOKIE = "doorman.webauthn";

/** ACCESS_TOKEN_TTL_SECONDS is 4 in e2e runs (playwright.config.ts). */
export const ACCESS_TOKEN_TTL_MS = 4_000;

export async function authCookie(context: BrowserContext, name: string) {
  return (await context.cookies()).find((cookie) => cookie.name === name);
}

/**
 * Waits until the browser drops the access cookie: its Max-Age is the JWT's remaining lifetime.
 * `name`: `__Host-doorman.at` over HTTPS.
 */
export async function waitForAccessCookieToExpire(context: BrowserContext, name = ACCESS_COOKIE): Promise<void> {
  await expect
    .poll(() => authCookie(context, name), {
      timeout: ACCESS_TOKEN_TTL_MS + 2_000,
      intervals: [250],
      message: "the access cookie to expire",
    })
    .toBeUndefined();
}

/** The Set-Cookie lines of a response, as sent. */
export async function setCookieLines(response: Response): Promise<string[]> {
  return (await response.headersArray()).filter((header) => header.name.toLowerCase() === "set-cookie").map((header) => header.value);
}

/** The names of the cookies a response sets, sorted. */
export async function setCookieNames(response: Response): Promise<string[]> {
  return (await setCookieLines(response)).map((line) => line.slice(0, line.indexOf("="))).sort();
}
