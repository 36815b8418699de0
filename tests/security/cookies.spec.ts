import { test, expect } from "@playwright/test";
import { decodeJwt } from "jose";
import { ACCESS_COOKIE, DEVICE_COOKIE, REFRESH_COOKIE } from "../e2e/support/cookies";
import { newAccount, signIn, whoAmI, type Account, type Session } from "./support/accounts";
import {
  expectAuthCookiesCleared,
  expectError,
  expectNoSetCookie,
  expectSentToLogin,
  issuedAuthCookies,
  send,
  setCookies,
} from "./support/http";
import { readActionForm, postFormWithoutJs } from "./support/server-actions";
import { accessClaims, flipCharacter, nowSeconds, sign, unsealRefresh } from "./support/tokens";

// SECURITY.md "Cookies and CSRF" and "Sessions": tampered, swapped and planted
// cookies, and the attributes every auth cookie carries. Identities never mix:
// whichever credential decides, the answer is its owner and nobody else.

let alice: Account;
let bob: Account;

test.beforeAll(async () => {
  [alice, bob] = await Promise.all([newAccount("cookie-alice"), newAccount("cookie-bob")]);
});

/** A correctly signed access token for this session of the account that expired a minute ago. */
const expiredAccess = (account: Account, session: Session) =>
  sign({ ...accessClaims({ ...account, sessionId: session.sessionId }), iat: nowSeconds() - 960, exp: nowSeconds() - 60 });

/** Owner (sub) and session (sid) of the access token a response sets. */
function issuedIdentity(response: Response): { sub: unknown; sid: unknown } {
  const { sub, sid } = decodeJwt(issuedAuthCookies(response)[ACCESS_COOKIE]!);
  return { sub, sid };
}

test("a tampered access cookie counts as absent: alone it is refused, next to a live refresh cookie the refresh decides", async () => {
  const session = await signIn(alice);
  const tampered = flipCharacter(session.access, 2);
  await expectError(await send("/api/me", { cookies: { [ACCESS_COOKIE]: tampered } }), 401, "unauthenticated");
  expectSentToLogin(await send("/dashboard", { cookies: { [ACCESS_COOKIE]: tampered } }));

  const me = await send("/api/me", { cookies: { [ACCESS_COOKIE]: tampered, [REFRESH_COOKIE]: session.refresh } });
  expect(me.status).toBe(200);
  expect(((await me.json()) as { user: { id: string } }).user.id).toBe(alice.userId);
  expect(issuedIdentity(me)).toEqual({ sub: alice.userId, sid: session.sessionId });
});

const REFRESH_TAMPERING: Record<string, (sealed: string) => string> = {
  "one character of the ciphertext flipped": (sealed) => flip(sealed, 4),
  "one character of the MAC flipped": (sealed) => flip(sealed, 7),
  "expiry pushed forward": (sealed) => replacePart(sealed, 5, (value) => String(Number(value) + 86_400_000)),
  "truncated by one character": (sealed) => sealed.slice(0, -1),
  // Not after the "~2" version suffix: iron-session reads it with parseInt, so "~2A" is still "~2" (the MAC is what counts).
  "a character appended to the MAC": (sealed) => replacePart(sealed, 7, (value) => `${value}A`),
  "another cookie's format": () => "eyJhbGciOiJFUzI1NiJ9.e30.c2ln",
};

/** iron-session seals as Fe26.2*<password id>*<salt>*<iv>*<ciphertext>*<expiry>*<hmac salt>*<hmac>~2. */
function replacePart(sealed: string, index: number, change: (value: string) => string): string {
  const [body = "", suffix = ""] = sealed.split("~");
  const parts = body.split("*");
  parts[index] = change(parts[index]!);
  return `${parts.join("*")}~${suffix}`;
}

function flip(sealed: string, index: number): string {
  return replacePart(sealed, index, (value) => {
    const at = Math.floor(value.length / 2);
    return value.slice(0, at) + (value[at] === "A" ? "B" : "A") + value.slice(at + 1);
  });
}

for (const [name, tamper] of Object.entries(REFRESH_TAMPERING)) {
  test(`a tampered refresh cookie (${name}) is refused and cleared, and the real session is unharmed`, async () => {
    const session = await signIn(alice);
    const tampered = tamper(session.refresh);
    expect(tampered).not.toBe(session.refresh);

    const refresh = await send("/api/auth/refresh", { method: "POST", cookies: { [REFRESH_COOKIE]: tampered } });
    expectAuthCookiesCleared(refresh);
    await expectError(refresh, 401, "invalid_session");

    const page = await send("/dashboard", { cookies: { [REFRESH_COOKIE]: tampered } });
    expectSentToLogin(page);
    expectAuthCookiesCleared(page);

    // The genuine cookie still works: refusing a forgery revokes nothing.
    const genuine = await send("/api/auth/refresh", { method: "POST", cookies: { [REFRESH_COOKIE]: session.refresh } });
    expect(genuine.status).toBe(200);
    expect(issuedIdentity(genuine)).toEqual({ sub: alice.userId, sid: session.sessionId });
  });
}

test("swapped cookies never mix identities: a valid access cookie answers for its own owner only", async () => {
  const [a, b] = await Promise.all([signIn(alice), signIn(bob)]);

  // A valid access cookie decides alone, and no refresh happens.
  const valid = await send("/api/me", { cookies: { [ACCESS_COOKIE]: b.access, [REFRESH_COOKIE]: a.refresh } });
  expect(valid.status).toBe(200);
  expect(((await valid.json()) as { user: { id: string } }).user.id).toBe(bob.userId);
  expectNoSetCookie(valid);
  const session = await send("/api/auth/session", { cookies: { [ACCESS_COOKIE]: b.access, [REFRESH_COOKIE]: a.refresh } });
  expect(((await session.json()) as { session: { id: string } }).session.id).toBe(b.sessionId);

  // An expired access cookie does not decide: the refresh cookie does, for its own owner.
  for (const [access, refresh, owner, sessionId] of [
    [await expiredAccess(alice, a), b.refresh, bob.userId, b.sessionId],
    [await expiredAccess(bob, b), a.refresh, alice.userId, a.sessionId],
  ] as const) {
    const me = await send("/api/me", { cookies: { [ACCESS_COOKIE]: access, [REFRESH_COOKIE]: refresh } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { id: string } }).user.id).toBe(owner);
    expect(issuedIdentity(me)).toEqual({ sub: owner, sid: sessionId });
  }

  // The refresh route reads only the refresh cookie, whoever's access cookie sits beside it.
  const freshB = await signIn(bob);
  const rotated = await send("/api/auth/refresh", { method: "POST", cookies: { [ACCESS_COOKIE]: a.access, [REFRESH_COOKIE]: freshB.refresh } });
  expect(rotated.status).toBe(200);
  expect(issuedIdentity(rotated)).toEqual({ sub: bob.userId, sid: freshB.sessionId });
});

test("a refresh cookie planted before login is not adopted: login starts a new family", async () => {
  // The attacker's own session, its refresh cookie planted in the victim's browser.
  const planted = await signIn(bob);
  const login = await send("/api/auth/login", {
    json: { email: alice.email, password: alice.password },
    cookies: { [REFRESH_COOKIE]: planted.refresh },
  });
  expect(login.status).toBe(200);
  const issued = issuedAuthCookies(login);
  const { sub, sid } = decodeJwt(issued[ACCESS_COOKIE]!);
  expect(sub).toBe(alice.userId);
  expect(sid).not.toBe(planted.sessionId);
  expect(await unsealRefresh(issued[REFRESH_COOKIE]!)).not.toBe(await unsealRefresh(planted.refresh));

  // The victim's cookies are the victim's session; the planted one is still only the attacker's.
  expect(await whoAmI(issued)).toBe(alice.userId);
  const attackerRefresh = await send("/api/auth/refresh", { method: "POST", cookies: { [REFRESH_COOKIE]: planted.refresh } });
  expect(attackerRefresh.status).toBe(200);
  expect(issuedIdentity(attackerRefresh)).toEqual({ sub: bob.userId, sid: planted.sessionId });
  // And refreshing the victim's new session stays in the victim's new family.
  const victimRefresh = await send("/api/auth/refresh", { method: "POST", cookies: { [REFRESH_COOKIE]: issued[REFRESH_COOKIE]! } });
  expect(issuedIdentity(victimRefresh)).toEqual({ sub: alice.userId, sid });
});

// Regression: the middleware used to refresh the planted cookie on the way to
// the login handler, so the answer set both the attacker's rotated cookies and
// the victim's (two Set-Cookie lines per name; the browser kept the last).
test("a planted refresh cookie is neither rotated nor answered for on the way to sign-in (JSON and form)", async () => {
  const planted = await signIn(bob);
  const form = await readActionForm("/login", "email");
  const answers = {
    json: await send("/api/auth/login", { json: { email: alice.email, password: alice.password }, cookies: { [REFRESH_COOKIE]: planted.refresh } }),
    form: await postFormWithoutJs({
      path: "/login",
      form,
      fields: { email: alice.email, password: alice.password },
      cookies: { [REFRESH_COOKIE]: planted.refresh },
    }),
  };
  for (const [how, response] of Object.entries(answers)) {
    expect([200, 303], how).toContain(response.status);
    // setCookies() insists on one line per cookie name.
    expect([...setCookies(response).keys()].sort(), how).toEqual([ACCESS_COOKIE, DEVICE_COOKIE, REFRESH_COOKIE].sort());
    expect(decodeJwt(issuedAuthCookies(response)[ACCESS_COOKIE]!).sub, how).toBe(alice.userId);
  }
});

test("auth cookies and the device cookie: HttpOnly, Secure, SameSite=Lax, Path=/, no Domain, under 4 KB, and never a token in the body", async () => {
  const login = await send("/api/auth/login", { json: { email: alice.email, password: alice.password } });
  const loginBody = await login.text();
  const session = issuedAuthCookies(login);
  const refresh = await send("/api/auth/refresh", { method: "POST", cookies: { [REFRESH_COOKIE]: session[REFRESH_COOKIE]! } });
  const refreshBody = await refresh.text();

  for (const [route, response, body, names] of [
    ["login", login, loginBody, [ACCESS_COOKIE, DEVICE_COOKIE, REFRESH_COOKIE]],
    ["refresh", refresh, refreshBody, [ACCESS_COOKIE, REFRESH_COOKIE]],
  ] as const) {
    const cookies = setCookies(response);
    expect([...cookies.keys()].sort(), route).toEqual([...names].sort());
    for (const cookie of cookies.values()) {
      const context = `${route}: ${cookie.name}`;
      expect(cookie.attributes.has("httponly"), `${context} HttpOnly`).toBe(true);
      expect(cookie.attributes.has("secure"), `${context} Secure`).toBe(true);
      expect(cookie.attributes.get("samesite")?.toLowerCase(), `${context} SameSite`).toBe("lax");
      expect(cookie.attributes.get("path"), `${context} Path`).toBe("/");
      expect(cookie.attributes.has("domain"), `${context} Domain`).toBe(false);
      expect(Number(cookie.attributes.get("max-age")), `${context} Max-Age`).toBeGreaterThan(0);
      expect(Buffer.byteLength(cookie.raw), `${context} size`).toBeLessThan(4096);
      expect(body, `${context}: the token is not in the body`).not.toContain(cookie.value);
    }
  }
  expect(Object.keys(JSON.parse(loginBody) as object)).toEqual(["user"]);
  expect(Object.keys(JSON.parse(refreshBody) as object)).toEqual(["expiresAt"]);
});
