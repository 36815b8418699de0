import { test, expect } from "@playwright/test";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../e2e/support/cookies";
import { nativeSignIn, nativeTokensFrom, newAccount, signInAsAdmin, whoAmI } from "./support/accounts";
import { encode, encodingsOf, ENDPOINTS } from "./support/endpoints";
import { expectAuthCookiesCleared, expectError, expectNoSetCookie, expectSentToLogin, issuedAuthCookies, send } from "./support/http";
import { extend, sealRefresh, unsealRefresh } from "./support/tokens";

// SECURITY.md "JWTs" (token kinds never cross) and "Cookies and CSRF" (bearer
// tokens only in Authorization, never in a query string), against the running
// app. Sessions have a kind fixed at sign-in (docs/decisions/0009): a browser's
// refresh token, unsealed from its cookie with the server's AUTH_SECRET, is no
// native grant; a native app's refresh token, sealed into a refresh cookie the
// way the server seals one, opens no browser session. Each refusal leaves the
// refused credential's own session working, and a cookie this file seals is
// shown to work when it holds a browser's token: the refusal is of the kind.

const TOKEN_ENDPOINT = ENDPOINTS.find((endpoint) => endpoint.route === "/api/auth/token")!;

const refreshGrant = (token: string) => send("/api/auth/token", { json: { grant_type: "refresh_token", refresh_token: token } });
const refreshCookie = (sealed: string) => send("/api/auth/refresh", { method: "POST", cookies: { [REFRESH_COOKIE]: sealed } });

test("a browser's refresh token, unsealed from its cookie, is no native grant, and the browser session is unharmed", async () => {
  const account = await newAccount("kinds-browser");
  const raw = await unsealRefresh(account.refresh);
  for (const encoding of encodingsOf(TOKEN_ENDPOINT)) {
    const response = await send("/api/auth/token", encode(encoding, { grant_type: "refresh_token", refresh_token: raw }));
    expectNoSetCookie(response);
    await expectError(response, 400, "invalid_grant");
  }
  // Sealed again as the server seals it, the same token is a browser's refresh cookie: it still works.
  const refreshed = await refreshCookie(await sealRefresh(raw));
  expect(refreshed.status, await refreshed.clone().text()).toBe(200);
  expect(await whoAmI(issuedAuthCookies(refreshed))).toBe(account.userId);
});

test("a native refresh token sealed into a refresh cookie opens no browser session, and the native session is unharmed", async () => {
  const account = await newAccount("kinds-native");
  const tokens = await nativeSignIn(account);
  const sealed = await sealRefresh(tokens.refresh_token);

  const refresh = await refreshCookie(sealed);
  expectAuthCookiesCleared(refresh);
  await expectError(refresh, 401, "invalid_session");
  // Nor through the middleware's transparent refresh, on a page or an API.
  const page = await send("/dashboard", { cookies: { [REFRESH_COOKIE]: sealed } });
  expectSentToLogin(page);
  expect(await page.text()).not.toContain(account.email);
  expect(await whoAmI({ [REFRESH_COOKIE]: sealed })).toBeNull();

  const rotated = await nativeTokensFrom(await refreshGrant(tokens.refresh_token));
  expect(rotated.sessionId).toBe(tokens.sessionId);
});

test("a token in a query string is never accepted: access tokens on the API and pages, refresh tokens and grants at the token endpoints", async () => {
  const account = await newAccount("query-token");
  const [admin, native] = await Promise.all([signInAsAdmin(), nativeSignIn(account)]);
  const nativeAccess = await extend(native.access_token);
  // The names a careless server might read a token from, one of them with the scheme as in the header.
  const queries = (token: string) => [
    ...["access_token", "token", "bearer", "jwt", "id_token", ACCESS_COOKIE].map((name) => ({ [name]: token })),
    { authorization: `Bearer ${token}` },
  ];
  const tokens = { "browser access token": account.access, "native access token": nativeAccess, "admin's access token": admin.access };

  // Positive control: each token, in the Authorization header, is its owner.
  for (const token of Object.values(tokens)) expect(await whoAmI({}, { authorization: `Bearer ${token}` })).not.toBeNull();

  for (const [kind, token] of Object.entries(tokens)) {
    for (const parameters of queries(token)) {
      const query = new URLSearchParams(parameters).toString();
      const context = `${kind} as ?${Object.keys(parameters)[0]}=`;
      for (const path of ["/api/me", "/api/auth/session", "/api/auth/sessions", "/api/admin/users"]) {
        await expectError(await send(`${path}?${query}`), 401, "unauthenticated").catch((error: Error) => {
          throw new Error(`${path}, ${context}: ${error.message}`);
        });
      }
      for (const path of ["/dashboard", "/admin"]) expectSentToLogin(await send(`${path}?${query}`), `${path}, ${context}`);
    }
  }

  // The grant and the revocation read their body only: parameters in the URL are not read at all.
  for (const encoding of encodingsOf(TOKEN_ENDPOINT)) {
    const grant = new URLSearchParams({ grant_type: "refresh_token", refresh_token: native.refresh_token });
    await expectError(await send(`/api/auth/token?${grant}`, encode(encoding, {})), 400, "invalid_request");
    const revoke = await send(`/api/auth/revoke?${new URLSearchParams({ token: native.refresh_token })}`, encode(encoding, {}));
    await expectError(revoke, 400, "invalid_request");
  }
  await expectError(await send(`/api/auth/refresh?refresh_token=${encodeURIComponent(account.refresh)}`, { method: "POST" }), 401, "invalid_session");
  // Nothing above was spent or ended: the native session rotates as if untouched, the browser's is live.
  expect((await nativeTokensFrom(await refreshGrant(native.refresh_token))).sessionId).toBe(native.sessionId);
  expect(await whoAmI(account.cookies)).toBe(account.userId);
});
