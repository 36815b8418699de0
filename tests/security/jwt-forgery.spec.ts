import { createPublicKey } from "node:crypto";
import { test, expect } from "@playwright/test";
import { ACCESS_COOKIE } from "../e2e/support/cookies";
import { newAccount, signIn, type Account } from "./support/accounts";
import { expectError, expectSentToLogin, send } from "./support/http";
import {
  accessClaims,
  attackerKey,
  base64url,
  compact,
  defaultHeader,
  flipCharacter,
  ISSUER,
  nowSeconds,
  serverPublicJwk,
  sign,
  type Claims,
} from "./support/tokens";

// SECURITY.md "JWTs" and "The attacks tests must try": forged access tokens,
// each wrong in one way, presented as the access cookie and as a Bearer token,
// on the JSON API and on a protected page. Each must count as no token at all.
// The positive control signs the same claims the same way and must get in, so
// every refusal below is the refusal of the one thing that was changed.

let victim: Account;
let other: Account;

test.beforeAll(async () => {
  [victim, other] = await Promise.all([newAccount("jwt-victim"), newAccount("jwt-other")]);
});

const claimsOf = (account: Account) => accessClaims(account);
const withClaims = (changes: Claims) => (account: Account) => sign({ ...claimsOf(account), ...changes });
const without = (claim: string) => (account: Account) => {
  const { [claim]: _dropped, ...rest } = claimsOf(account);
  return sign(rest);
};
const withHeader = (changes: Record<string, unknown>) => (account: Account) => sign(claimsOf(account), { ...defaultHeader(), ...changes });
const hmacWith = (secret: () => Promise<string> | string) => async (account: Account) =>
  sign(claimsOf(account), { ...defaultHeader(), alg: "HS256" }, new TextEncoder().encode(await secret()));

/** Just under and just over the 4 KB the verifier reads: a validly signed token padded to `length` or one more. */
async function tokenPaddedTo(account: Account, limit: number, side: "at" | "over"): Promise<string> {
  const bare = await sign(claimsOf(account));
  // Three JSON bytes become four base64url characters.
  let pad = Math.max(0, Math.floor(((limit - bare.length - 16) * 3) / 4));
  for (;;) {
    const token = await sign({ ...claimsOf(account), pad: "x".repeat(pad) });
    if (side === "at" && token.length > limit) return sign({ ...claimsOf(account), pad: "x".repeat(pad - 3) });
    if (token.length > limit) return token;
    pad += 1;
  }
}

const FORGERIES: Record<string, (account: Account) => Promise<string> | string> = {
  "alg: none, no signature": (account) => compact({ alg: "none", typ: "at+jwt" }, claimsOf(account)),
  "alg: none with the configured kid": (account) => compact({ alg: "none", typ: "at+jwt", kid: defaultHeader().kid }, claimsOf(account)),
  "alg: none over a real signature": async (account) => {
    const [, payload, signature] = (await sign(claimsOf(account))).split(".");
    return `${base64url(JSON.stringify({ alg: "none", typ: "at+jwt", kid: defaultHeader().kid }))}.${payload}.${signature}`;
  },
  "HS256 keyed with the public JWK": hmacWith(() => JSON.stringify(serverPublicJwk())),
  "HS256 keyed with the public key as PEM": hmacWith(() =>
    createPublicKey({ key: serverPublicJwk() as import("node:crypto").JsonWebKey, format: "jwk" }).export({ type: "spki", format: "pem" }).toString(),
  ),
  "HS256 keyed with the JWKS document as served": hmacWith(async () => (await send("/.well-known/jwks.json")).text()),
  "unknown kid, signed by the attacker": async (account) => {
    const { privateKey } = await attackerKey();
    return sign(claimsOf(account), { ...defaultHeader(), kid: "attacker-key-1" }, privateKey);
  },
  "unknown kid, signed with the server's key": withHeader({ kid: "not-a-configured-kid" }),
  "no kid, signed with the server's key": async (account) => sign(claimsOf(account), { alg: "ES256", typ: "at+jwt" }),
  "kid ../../etc/passwd": withHeader({ kid: "../../etc/passwd" }),
  "kid ' OR 1=1 --": withHeader({ kid: "' OR 1=1 --" }),
  "kid /dev/null": withHeader({ kid: "/dev/null" }),
  "jku pointing at the attacker's JWKS": async (account) => {
    const { privateKey } = await attackerKey();
    return sign(claimsOf(account), { ...defaultHeader(), kid: "attacker-key-1", jku: "https://evil.example/jwks.json" }, privateKey);
  },
  "x5u pointing at the attacker's certificate": async (account) => {
    const { privateKey } = await attackerKey();
    return sign(claimsOf(account), { ...defaultHeader(), x5u: "https://evil.example/cert.pem" }, privateKey);
  },
  "jwk header embedding the attacker's key": async (account) => {
    const { privateKey, publicJwk } = await attackerKey();
    return sign(claimsOf(account), { alg: "ES256", typ: "at+jwt", jwk: publicJwk }, privateKey);
  },
  "jwk header embedding the attacker's key, configured kid": async (account) => {
    const { privateKey, publicJwk } = await attackerKey();
    return sign(claimsOf(account), { ...defaultHeader(), jwk: { ...publicJwk, kid: defaultHeader().kid } }, privateKey);
  },
  "one payload character flipped": async (account) => flipCharacter(await sign(claimsOf(account)), 1),
  "one signature character flipped": async (account) => flipCharacter(await sign(claimsOf(account)), 2),
  "sub changed to another user, signature kept": async (account) => {
    const [header, , signature] = (await sign(claimsOf(account))).split(".");
    return `${header}.${base64url(JSON.stringify({ ...claimsOf(account), sub: other.userId, sid: other.sessionId }))}.${signature}`;
  },
  "wrong iss": withClaims({ iss: "https://evil.example" }),
  "iss with a trailing slash": withClaims({ iss: `${ISSUER}/` }),
  "wrong aud": withClaims({ aud: "evil" }),
  "aud in another case": withClaims({ aud: "Doorman" }),
  "typ JWT": withHeader({ typ: "JWT" }),
  "no typ": async (account) => sign(claimsOf(account), { alg: "ES256", kid: defaultHeader().kid }),
  "expired a minute ago": withClaims({ iat: nowSeconds() - 960, exp: nowSeconds() - 60 }),
  "nbf ten minutes ahead": withClaims({ nbf: nowSeconds() + 600 }),
  "8 KB token": withClaims({ pad: "x".repeat(8 * 1024) }),
  "just over 4 KB, validly signed": (account) => tokenPaddedTo(account, 4096, "over"),
  "role outside user/admin": withClaims({ role: "root" }),
  "no sid": without("sid"),
  "no jti": without("jti"),
  "no sub": without("sub"),
  "no iat": without("iat"),
  "no exp": without("exp"),
};

/** The four ways a token reaches the app, and what "refused" means for each. */
async function expectRefusedEverywhere(token: string, code = "unauthenticated"): Promise<void> {
  await expectError(await send("/api/me", { cookies: { [ACCESS_COOKIE]: token } }), 401, code);
  await expectError(await send("/api/me", { headers: { authorization: `Bearer ${token}` } }), 401, code);
  for (const [how, options] of [
    ["cookie", { cookies: { [ACCESS_COOKIE]: token } }],
    ["bearer", { headers: { authorization: `Bearer ${token}` } }],
  ] as const) {
    const page = await send("/dashboard", options);
    expectSentToLogin(page, `/dashboard with the token as ${how}`);
    expect(await page.text(), `/dashboard (${how}) shows nothing of the user`).not.toContain(victim.email);
  }
}

test("positive control: the same claims, correctly signed, get in by cookie and by Bearer", async () => {
  const token = await sign(claimsOf(victim));
  for (const options of [{ cookies: { [ACCESS_COOKIE]: token } }, { headers: { authorization: `Bearer ${token}` } }]) {
    const me = await send("/api/me", options);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { id: string } }).user.id).toBe(victim.userId);
  }
  const page = await send("/dashboard", { cookies: { [ACCESS_COOKIE]: token } });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain(victim.email);
  // The 4 KB boundary: a padded token that still fits is accepted.
  const padded = await tokenPaddedTo(victim, 4096, "at");
  expect(padded.length).toBeLessThanOrEqual(4096);
  expect((await send("/api/me", { headers: { authorization: `Bearer ${padded}` } })).status).toBe(200);
});

for (const [name, forge] of Object.entries(FORGERIES)) {
  test(`forged access token refused: ${name}`, async () => {
    const token = await forge(victim);
    expect(token.split(".")).toHaveLength(3);
    if (name.startsWith("just over 4 KB")) expect(token.length).toBeGreaterThan(4096);
    await expectRefusedEverywhere(token);
  });
}

test("a valid token whose session was signed out answers 401 invalid_session and opens no page", async () => {
  const session = await signIn(victim);
  expect((await send("/api/me", { cookies: session.cookies })).status).toBe(200);
  const logout = await send("/api/auth/logout", { method: "POST", cookies: session.cookies });
  expect(logout.status).toBe(204);

  // The JWT itself still verifies for minutes; the database says the session is over.
  await expectError(await send("/api/me", { cookies: { [ACCESS_COOKIE]: session.access } }), 401, "invalid_session");
  await expectError(await send("/api/me", { headers: { authorization: `Bearer ${session.access}` } }), 401, "invalid_session");
  await expectError(await send("/api/auth/session", { cookies: { [ACCESS_COOKIE]: session.access } }), 401, "invalid_session");
  const page = await send("/dashboard", { cookies: { [ACCESS_COOKIE]: session.access } });
  expectSentToLogin(page);
  expect(await page.text()).not.toContain(victim.email);
  // The victim's other session is untouched.
  expect((await send("/api/me", { cookies: victim.cookies })).status).toBe(200);
});
