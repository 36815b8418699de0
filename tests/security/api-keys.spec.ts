import { test, expect } from "@playwright/test";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../e2e/support/cookies";
import { newAccount, sessionIsLive, type Account } from "./support/accounts";
import { expectError, expectNoSetCookie, expectSentToLogin, send } from "./support/http";

// API keys (docs/decisions/0035) are accepted in one place only:
// `Authorization: Bearer dmn_…` on an /api route that asks authorize() for
// its scope. Everywhere else a key is nothing: in a query string, in any
// cookie, on a page. A key is never taken for a failed access JWT, so it
// never signs anyone out. The positive control is the same key, in the
// header, on GET /api/me.

type Created = { apiKey: { id: string; prefix: string }; key: string };

let owner: Account;
let key: string;

async function createKey(account: Account, scopes: string[] = ["me:read", "sessions:read"]): Promise<Created> {
  const response = await send("/api/auth/api-keys", { cookies: account.cookies, json: { name: "security suite", scopes, expiresInDays: 30 } });
  expect(response.status, await response.clone().text()).toBe(201);
  return response.json();
}

const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

test.beforeAll(async () => {
  owner = await newAccount("api-keys");
  ({ key } = await createKey(owner));
});

test("control: the key in Authorization on GET /api/me answers its owner, and sets no cookie", async () => {
  const response = await send("/api/me", { headers: bearer(key) });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(((await response.json()) as { user: { id: string } }).user.id).toBe(owner.userId);
  expectNoSetCookie(response);
  // The scheme is case-insensitive (RFC 9110 §11.1).
  expect((await send("/api/me", { headers: { authorization: `bearer ${key}` } })).status).toBe(200);
});

test("a key in the query string is no credential", async () => {
  for (const name of ["access_token", "api_key", "apiKey", "key", "token", "authorization"]) {
    const path = `/api/me?${new URLSearchParams({ [name]: key })}`;
    await expectError(await send(path), 401, "unauthenticated").catch((error: Error) => {
      throw new Error(`${path}: ${error.message}`);
    });
  }
  // Nor as the value of the header's credential written into the URL some other way.
  await expectError(await send(`/api/me?authorization=${encodeURIComponent(`Bearer ${key}`)}`), 401, "unauthenticated");
});

test("a key in a cookie is no credential, whatever the cookie's name", async () => {
  for (const name of [ACCESS_COOKIE, "api_key", "authorization", "dmn", "token"]) {
    const response = await send("/api/me", { cookies: { [name]: key } });
    await expectError(response, 401, "unauthenticated").catch((error: Error) => {
      throw new Error(`cookie ${name}: ${error.message}`);
    });
  }
  await expectError(await send("/api/me", { cookies: { [ACCESS_COOKIE]: `Bearer ${key}` } }), 401, "unauthenticated");
});

test("pages ignore a key: signed-in pages send to sign in, the home page names nobody", async () => {
  for (const path of ["/dashboard", "/account", "/admin", "/settings/notifications"]) {
    expectSentToLogin(await send(path, { headers: bearer(key) }), path);
    expectSentToLogin(await send(`${path}?access_token=${key}`), path);
    expectSentToLogin(await send(path, { cookies: { [ACCESS_COOKIE]: key } }), path);
  }
  const home = await send("/", { headers: bearer(key) });
  expect(home.status).toBe(200);
  const html = await home.text();
  expect(html).not.toContain(owner.email);
  expect(html).not.toContain(owner.name);
});

test("a page with the owner's cookie and a key renders for the cookie, and the key signs nobody out", async () => {
  const session = await newAccount("api-keys-page");
  const response = await send("/account", { cookies: session.cookies, headers: bearer(key) });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain(session.email);
  expectNoSetCookie(response);
  expect(await sessionIsLive(session)).toBe(true);
});

test("a bad key beside a live session's cookies is refused as a key: 401 invalid_api_key, cookies untouched, the session live", async () => {
  const session = await newAccount("api-keys-bystander");
  const mistyped = key.slice(0, 20) + (key[20] === "A" ? "B" : "A") + key.slice(21);
  for (const bad of [mistyped, "dmn_", `dmn_${"0".repeat(49)}`]) {
    const response = await send("/api/me", { cookies: session.cookies, headers: bearer(bad) });
    await expectError(response, 401, "invalid_api_key");
    expectNoSetCookie(response);
  }
  // Only the access cookie's session: the refresh cookie was never rotated or cleared on the way.
  expect(await sessionIsLive(session)).toBe(true);
  const refreshed = await send("/api/me", { cookies: { [REFRESH_COOKIE]: session.refresh } });
  expect(refreshed.status, "the refresh cookie still works").toBe(200);
});

test("a key cannot create a key, list or revoke keys, or change the password", async () => {
  const { apiKey } = await createKey(owner);
  await expectError(
    await send("/api/auth/api-keys", { headers: bearer(key), json: { name: "child", scopes: ["me:read"], expiresInDays: 30 } }),
    403,
    "api_key_not_allowed",
  );
  await expectError(await send("/api/auth/api-keys", { headers: bearer(key) }), 403, "api_key_not_allowed");
  await expectError(await send(`/api/auth/api-keys/${apiKey.id}`, { method: "DELETE", headers: bearer(key) }), 403, "api_key_not_allowed");
  await expectError(
    await send("/api/auth/change-password", { headers: bearer(key), json: { currentPassword: owner.password, newPassword: "a brand new passphrase 7" } }),
    403,
    "api_key_not_allowed",
  );
});

test("scopes hold over HTTP: sessions:read lists, sessions:write and admin:read are refused", async () => {
  expect((await send("/api/auth/sessions", { headers: bearer(key) })).status).toBe(200);
  await expectError(await send("/api/auth/logout-all", { method: "POST", headers: bearer(key) }), 403, "insufficient_scope");
  await expectError(await send("/api/admin/users", { headers: bearer(key) }), 403, "insufficient_scope");
  // An ordinary user cannot give a key admin scopes at all.
  const response = await send("/api/auth/api-keys", { cookies: owner.cookies, json: { name: "x", scopes: ["admin:read"], expiresInDays: 30 } });
  await expectError(response, 403, "forbidden");
});

test("a revoked key is refused on its next request", async () => {
  const { apiKey, key: doomed } = await createKey(owner);
  expect((await send("/api/me", { headers: bearer(doomed) })).status).toBe(200);
  expect((await send(`/api/auth/api-keys/${apiKey.id}`, { method: "DELETE", cookies: owner.cookies })).status).toBe(204);
  await expectError(await send("/api/me", { headers: bearer(doomed) }), 401, "invalid_api_key");
});
