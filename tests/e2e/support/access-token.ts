import type { Page } from "@playwright/test";
import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK, type JWK, type JWTHeaderParameters } from "jose";
import { signDownstreamToken, type AccessClaims } from "../../../lib/auth/edge/jwt";
import { resetEnvCache } from "../../../lib/env";
import { ACCESS_COOKIE, authCookie } from "./cookies";
import { APP_URL } from "./servers";

/**
 * The e2e server's access tokens live 4 seconds (and are checked with no
 * clock tolerance), less than this machine may take between two pages, or
 * for a password change (two bcrypt hashes) and the page it re-renders. So
 * that "the access token is still valid" holds for certain, the page's own
 * token is signed again with the server's key (playwright.config.ts hands it
 * to the workers) and the production lifetime of 15 minutes: then only the
 * database check can end a session.
 */
export async function extendAccessToken(page: Page): Promise<void> {
  const context = page.context();
  // Read once: a cookie seen in its last milliseconds is gone a moment later
  // (its Max-Age is the token's lifetime), but its claims can still be signed again.
  let cookie = await authCookie(context, ACCESS_COOKIE);
  if (!cookie) {
    // Already expired: a page load refreshes it.
    await page.goto("/dashboard", { waitUntil: "commit" });
    cookie = await authCookie(context, ACCESS_COOKIE);
  }
  if (!cookie) throw new Error("no access cookie to extend");
  const [jwk] = JSON.parse(process.env.DOORMAN_E2E_JWT_SIGNING_KEYS ?? "[]") as JWK[];
  const claims = decodeJwt(cookie.value);
  const exp = claims.iat! + 15 * 60;
  const token = await new SignJWT({ ...claims, exp })
    .setProtectedHeader(decodeProtectedHeader(cookie.value) as JWTHeaderParameters)
    .sign(await importJWK(jwk!, "ES256"));
  await context.addCookies([{ ...cookie, value: token, expires: exp }]);
}

/**
 * What callApi mints for a downstream API from this access token (lib/auth/edge/jwt.ts),
 * with the running app's own key and issuer.
 */
export async function mintDownstreamToken(accessToken: string, audience: string, { exp }: { exp?: number } = {}): Promise<string> {
  process.env.APP_URL = APP_URL;
  process.env.JWT_SIGNING_KEYS = process.env.DOORMAN_E2E_JWT_SIGNING_KEYS;
  resetEnvCache();
  const claims = decodeJwt(accessToken) as AccessClaims;
  return signDownstreamToken({ ...claims, exp: exp ?? claims.exp }, audience);
}
