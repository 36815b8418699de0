import { test, expect } from "@playwright/test";
import { decodeJwt } from "jose";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../e2e/support/cookies";
import { nativeSignIn, nativeTokensFrom, newAccount, sessionIsLive, whoAmI, type Account } from "./support/accounts";
import { expectAuthCookiesCleared, expectError, expectNoSetCookie, issuedAuthCookies, send } from "./support/http";
import { extend, unsealRefresh } from "./support/tokens";

// Contract invariant 3 and RFC 9700 §4.14.2, against the running app: inside
// the grace window concurrent refreshes converge on one successor; after it, a
// rotated token converges only while its successor was never used (a lost
// answer, docs/decisions/0021), and otherwise revokes the whole family, a
// browser's (cookie) or a native app's (the token endpoint's refresh grant) alike. The sealed cookies
// differ on every answer (iron-session seals with a fresh salt), so the tests
// unseal them with the server's AUTH_SECRET to compare the tokens themselves.

/** The e2e app runs with lib/env.ts's default unless the shell sets it (Playwright passes its env on). */
const GRACE_SECONDS = Number(process.env.REFRESH_REUSE_GRACE_SECONDS || 10);
const CONCURRENT = 25;

const refresh = (sealed: string) => send("/api/auth/refresh", { method: "POST", cookies: { [REFRESH_COOKIE]: sealed } });
const refreshGrant = (token: string) => send("/api/auth/token", { json: { grant_type: "refresh_token", refresh_token: token } });

/** Until the grace window that opened when a token was rotated at `rotatedAt` has surely closed. */
const afterGraceWindow = (rotatedAt: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, rotatedAt + GRACE_SECONDS * 1000 + 1500 - Date.now())));

/** The raw refresh token and the session of a successful refresh. */
async function rotated(response: Response): Promise<{ token: string; sealed: string; sid: string }> {
  expect(response.status, await response.clone().text()).toBe(200);
  const cookies = issuedAuthCookies(response);
  return {
    token: await unsealRefresh(cookies[REFRESH_COOKIE]!),
    sealed: cookies[REFRESH_COOKIE]!,
    sid: String(decodeJwt(cookies[ACCESS_COOKIE]!).sid),
  };
}

let account: Account;
test.beforeEach(async () => {
  account = await newAccount("replay");
});

test(`${CONCURRENT} concurrent refreshes inside the grace window all succeed with one successor`, async () => {
  const original = await unsealRefresh(account.refresh);
  const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => refresh(account.refresh)));
  const successors = await Promise.all(answers.map(rotated));

  expect(new Set(successors.map((s) => s.token)).size, "one successor").toBe(1);
  expect(successors[0]!.token).not.toBe(original);
  expect(new Set(successors.map((s) => s.sid))).toEqual(new Set([account.sessionId]));

  // The successor is the live credential: it rotates once more. A client whose
  // answer was lost, presenting the original again inside the window, gets that newest token.
  const next = await rotated(await refresh(successors[0]!.sealed));
  expect(next.token).not.toBe(successors[0]!.token);
  const late = await rotated(await refresh(account.refresh));
  expect(late.token).toBe(next.token);
  expect(await sessionIsLive(account)).toBe(true);
});

test("a rotated token replayed after the grace window: 401, cookies cleared, the whole family revoked", async () => {
  test.setTimeout(60_000 + GRACE_SECONDS * 1000);
  const first = await rotated(await refresh(account.refresh));
  const rotatedAt = Date.now();
  const second = await rotated(await refresh(first.sealed));

  await afterGraceWindow(rotatedAt);
  const replay = await refresh(account.refresh);
  expectAuthCookiesCleared(replay);
  await expectError(replay, 401, "invalid_session");

  // Every member of the family is dead: the newest refresh token, and the session behind the access tokens.
  const successor = await refresh(second.sealed);
  expectAuthCookiesCleared(successor);
  await expectError(successor, 401, "invalid_session");
  expect(await sessionIsLive(account)).toBe(false);
  await expectError(await send("/api/me", { cookies: { [ACCESS_COOKIE]: account.access } }), 401, "invalid_session");
  // The middleware's transparent refresh does not revive it either.
  const page = await send("/dashboard", { cookies: { [REFRESH_COOKIE]: second.sealed } });
  expect(page.status).toBe(303);
  expectAuthCookiesCleared(page);
});

test("a refresh whose answer was lost: after the grace window the kept cookie gets that same successor; once the successor is used, the kept cookie is reuse", async () => {
  test.setTimeout(60_000 + GRACE_SECONDS * 1000);
  // Regression (review finding 7): an aborted navigation, or a 503 whose rotation committed anyway, ended the session as theft.
  const lost = await rotated(await refresh(account.refresh));
  await afterGraceWindow(Date.now());
  const retry = await rotated(await refresh(account.refresh));
  expect(retry.token).toBe(lost.token);
  expect(retry.sid).toBe(account.sessionId);
  expect(await sessionIsLive(account)).toBe(true);

  await rotated(await refresh(retry.sealed));
  const replay = await refresh(account.refresh);
  expectAuthCookiesCleared(replay);
  await expectError(replay, 401, "invalid_session");
  expect(await sessionIsLive(account)).toBe(false);
});

test("a rotated native refresh token replayed after the grace window: invalid_grant, the whole family dead, the browser's session untouched", async () => {
  test.setTimeout(60_000 + GRACE_SECONDS * 1000);
  const signedIn = await nativeSignIn(account);
  const first = await nativeTokensFrom(await refreshGrant(signedIn.refresh_token));
  const rotatedAt = Date.now();
  const second = await nativeTokensFrom(await refreshGrant(first.refresh_token));
  expect(new Set([signedIn.sessionId, first.sessionId, second.sessionId]).size, "one session throughout").toBe(1);

  await afterGraceWindow(rotatedAt);
  const replay = await refreshGrant(signedIn.refresh_token);
  expectNoSetCookie(replay);
  await expectError(replay, 400, "invalid_grant");

  // Every member of the family is dead: the newest refresh token, and the session behind the access tokens.
  await expectError(await refreshGrant(second.refresh_token), 400, "invalid_grant");
  await expectError(await send("/api/me", { headers: { authorization: `Bearer ${await extend(second.access_token)}` } }), 401, "invalid_session");
  // Another family of the same account, the browser's, lives on.
  expect(await sessionIsLive(account)).toBe(true);
  expect(await whoAmI(account.cookies)).toBe(account.userId);
});
