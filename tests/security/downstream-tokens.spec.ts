import { test, expect } from "@playwright/test";
import { decodeJwt } from "jose";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../e2e/support/cookies";
import { mintDownstreamToken } from "../e2e/support/access-token";
import { newAccount, sessionIsLive, signInAsAdmin, type Session } from "./support/accounts";
import { expectError, expectSentToLogin, send, setCookies, type SendOptions } from "./support/http";

// docs/decisions/0016: what callApi sends a downstream API is minted for it
// (its origin as audience) and is no key to Doorman. Minted here as callApi
// mints it, with the running app's own key, for the app's admin, and presented
// to the running app every way a downstream that leaked it could: Bearer to
// the user API and the admin API, the access cookie on API routes and pages,
// and the revoke endpoint. The positive control is the admin's own token on
// the same requests.

const DOWNSTREAM = "http://127.0.0.1:4111"; // an audience only: nothing needs to listen there

let admin: Session;
let minted: string;

const mint = (session: Session) => mintDownstreamToken(session.access, DOWNSTREAM);

test.beforeAll(async () => {
  admin = await signInAsAdmin();
  minted = await mint(admin);
  expect(decodeJwt(minted)).toMatchObject({ aud: DOWNSTREAM, sub: admin.userId, sid: admin.sessionId, role: "admin" });
});

const API = () => ["/api/me", "/api/auth/session", "/api/admin/users", `/api/admin/users/${admin.userId}`];
const asBearer = (token: string): SendOptions => ({ headers: { authorization: `Bearer ${token}` } });
const asCookie = (token: string): SendOptions => ({ cookies: { [ACCESS_COOKIE]: token } });

test("as Bearer or as the access cookie, every API route answers 401 unauthenticated; the admin's own token passes", async () => {
  const refused = await Promise.all(API().flatMap((path) => [send(path, asBearer(minted)), send(path, asCookie(minted))]));
  for (const response of refused) await expectError(response, 401, "unauthenticated");
  const accepted = await Promise.all(API().flatMap((path) => [send(path, asBearer(admin.access)), send(path, asCookie(admin.access))]));
  expect(accepted.map((response) => response.status)).toEqual(accepted.map(() => 200));
});

test("as the access cookie, pages treat it as absent: sent to sign in, or refreshed with the refresh cookie", async () => {
  for (const path of ["/dashboard", "/admin"]) {
    expectSentToLogin(await send(path, asCookie(minted)), path);
    expect((await send(path, asCookie(admin.access))).status, `${path}: positive control`).toBe(200);
  }
  // With its refresh cookie the middleware refreshes, as for no access cookie at all, and a Doorman token comes back.
  const user = await newAccount("downstream-cookie");
  const refreshed = await send("/dashboard", { cookies: { [ACCESS_COOKIE]: await mint(user), [REFRESH_COOKIE]: user.cookies[REFRESH_COOKIE]! } });
  expect(refreshed.status).toBe(200);
  expect(decodeJwt(setCookies(refreshed).get(ACCESS_COOKIE)!.value).aud).toBe("doorman");
});

test("the revoke endpoint takes it for nothing: the session stays live", async () => {
  const response = await send("/api/auth/revoke", { json: { token: minted } });
  expect(response.status).toBe(200);
  expect(await sessionIsLive(admin)).toBe(true);
  // Positive control: a session's own access token does end it there.
  const user = await newAccount("downstream-revoke");
  expect((await send("/api/auth/revoke", { json: { token: user.access } })).status).toBe(200);
  expect(await sessionIsLive(user)).toBe(false);
});
