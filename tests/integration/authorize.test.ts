import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { NextRequest } from "next/server";
import { GET as authorize } from "@/app/api/auth/authorize/route";
import { GET as listSessions } from "@/app/api/auth/sessions/route";
import { POST as revoke } from "@/app/api/auth/revoke/route";
import { POST as token } from "@/app/api/auth/token/route";
import { POST as beginTotp } from "@/app/api/auth/totp/route";
import { GET as me } from "@/app/api/me/route";
import { getDb } from "@/db/client";
import { authorizationCodes, securityEvents, sessions, users } from "@/db/schema";
import { hashToken } from "@/lib/auth/sessions/refresh-token";
import { STEP_UP_WINDOW_SECONDS } from "@/lib/auth/step-up/recent-authentication";
import { createAuthorizationRequest, type PendingBrowserSignIn } from "@/lib/client/browser-sign-in";
import { createDoormanClient } from "@/lib/client/doorman-client";
import { memoryTokenStore } from "@/lib/client/token-store";
import { APP, TestClient, type RouteHandler } from "../support/client";
import { advanceClock } from "../support/clock";
import { currentEnv, setEnv } from "../support/env-vars";
import { createUser, loginAs, PASSWORD } from "../support/fixtures";
import { expectJsonError } from "../support/http";
import { countRows, rowsContaining } from "../support/rows";

// Native apps signing in through the browser (docs/decisions/0034): the
// authorization endpoint against a browser's cookies, and the token
// endpoint's authorization_code grant, through the real route handlers. The
// apps registered here are tests/support/test-env.ts's TEST_NATIVE_CLIENTS.

const h = (handler: unknown) => handler as RouteHandler;
const CLIENT_ID = "com.example.notes";
const REDIRECT_URI = "com.example.notes:/oauth/callback";
const ISSUER = new URL(APP).origin;

type Tokens = { access_token: string; refresh_token: string; token_type: string; expires_in: number };

/** What the app does first: the authorize URL (lib/client), as a path on Doorman, and what it keeps. */
async function authorizationRequest(overrides: { clientId?: string; redirectUri?: string } = {}) {
  const { url, pending } = await createAuthorizationRequest({
    baseUrl: APP,
    clientId: overrides.clientId ?? CLIENT_ID,
    redirectUri: overrides.redirectUri ?? REDIRECT_URI,
  });
  return { path: `${new URL(url).pathname}${new URL(url).search}`, pending };
}

/** The authorize path with some parameters changed (null: left out). */
async function authorizePathWith(changes: Record<string, string | null>) {
  const { path, pending } = await authorizationRequest();
  const url = new URL(path, APP);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  return { path: `${url.pathname}${url.search}`, pending };
}

const callAuthorize = (browser: TestClient, path: string, headers: Record<string, string> = {}) => browser.call(h(authorize), { path, headers });

/** The browser's answer is a 303 to the app's redirect URI: its parameters. */
function redirectedBack(response: Response, redirectUri = REDIRECT_URI): URLSearchParams {
  expect(response.status).toBe(303);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const location = new URL(response.headers.get("location")!);
  expect(`${location.protocol}${location.host ? `//${location.host}` : ""}${location.pathname}`).toBe(redirectUri.replace(/\?.*$/, ""));
  expect(location.searchParams.get("iss")).toBe(ISSUER);
  return location.searchParams;
}

/** A signed-in browser approves the request: the code it hands back. */
async function codeFor(browser: TestClient, overrides: { clientId?: string; redirectUri?: string } = {}): Promise<{ code: string; pending: PendingBrowserSignIn }> {
  const { path, pending } = await authorizationRequest(overrides);
  const params = redirectedBack(await callAuthorize(browser, path), overrides.redirectUri);
  expect(params.get("state")).toBe(pending.state);
  return { code: params.get("code")!, pending };
}

/** The app redeems it: a native client, no cookies. */
async function redeem(code: string, pending: PendingBrowserSignIn, changes: Record<string, string> = {}, encoding: "json" | "form" = "json") {
  const body = { grant_type: "authorization_code", code, redirect_uri: pending.redirectUri, client_id: pending.clientId, code_verifier: pending.codeVerifier, ...changes };
  const client = new TestClient();
  const response =
    encoding === "json"
      ? await client.call(h(token), { path: "/api/auth/token", json: body })
      : await client.call(h(token), { path: "/api/auth/token", body: new URLSearchParams(body).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
  expect(response.headers.getSetCookie(), "a native answer sets no cookie").toEqual([]);
  return response;
}

async function redeemed(code: string, pending: PendingBrowserSignIn, encoding: "json" | "form" = "json"): Promise<Tokens> {
  const response = await redeem(code, pending, {}, encoding);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return response.json();
}

const meWithBearer = (accessToken: string) => new TestClient().call(h(me), { path: "/api/me", headers: { authorization: `Bearer ${accessToken}` } });

async function signedInBrowser() {
  const user = await createUser("ada@example.com");
  return { user, browser: await loginAs(user) };
}

describe("GET /api/auth/authorize, signed in", () => {
  it.each(["json", "form"] as const)("sends the app a code that redeems (%s) for a native session whose token works on /api/me", async (encoding) => {
    const { user, browser } = await signedInBrowser();
    const { code, pending } = await codeFor(browser);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const tokens = await redeemed(code, pending, encoding);
    expect(Object.keys(tokens).sort()).toEqual(["access_token", "expires_in", "refresh_token", "token_type"]);
    expect(decodeJwt(tokens.access_token).sub).toBe(user.id);
    const answer = await meWithBearer(tokens.access_token);
    expect(answer.status).toBe(200);
    expect((await answer.json()).user.email).toBe(user.email);

    // A native session like the password grant's: on the device list, a sign-in event, refresh and revoke work.
    const sid = decodeJwt(tokens.access_token).sid as string;
    const db = await getDb();
    const [session] = await db.select({ kind: sessions.kind }).from(sessions).where(eq(sessions.id, sid));
    expect(session?.kind).toBe("native");
    expect((await (await browser.call(h(listSessions), { path: "/api/auth/sessions" })).json()).sessions).toHaveLength(2);
    const [event] = await db.select().from(securityEvents).where(and(eq(securityEvents.type, "sign_in"), eq(securityEvents.sessionId, sid)));
    expect(event?.detail).toMatchObject({ via: "authorization_code", clientId: CLIENT_ID });
    const refreshed = await new TestClient().call(h(token), { path: "/api/auth/token", json: { grant_type: "refresh_token", refresh_token: tokens.refresh_token } });
    expect(refreshed.status).toBe(200);
    expect((await new TestClient().call(h(revoke), { path: "/api/auth/revoke", json: { token: tokens.access_token } })).status).toBe(200);
    await expectJsonError(await meWithBearer(tokens.access_token), 401, "invalid_session");
  });

  it("keeps only the code's SHA-256, bound to the client, redirect URI, challenge and user, for 60 seconds", async () => {
    const { user, browser } = await signedInBrowser();
    const { path } = await authorizationRequest();
    const before = Date.now();
    const { code } = await codeFor(browser);
    expect(await rowsContaining(code)).toEqual([]);
    const [row] = await (await getDb()).select().from(authorizationCodes);
    expect(row).toMatchObject({ codeHash: hashToken(code), userId: user.id, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, usedAt: null, sessionId: null });
    expect(row!.codeChallenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(60_000);
    expect(row!.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(path).toContain("code_challenge_method=S256");
  });

  it("signs the app in through lib/client: the callback is checked, the code redeemed, the tokens stored", async () => {
    const { user, browser } = await signedInBrowser();
    const store = memoryTokenStore();
    // The app's fetch reaches the route handlers directly.
    const routes: Record<string, RouteHandler> = { "/api/auth/token": h(token), "/api/me": h(me) };
    const doorman = createDoormanClient({
      baseUrl: APP,
      store,
      fetch: async (input, init) => routes[new URL(String(input)).pathname]!(new NextRequest(String(input), init as ConstructorParameters<typeof NextRequest>[1]), { params: Promise.resolve({}) }),
    });
    const { url, pending } = await doorman.beginBrowserSignIn({ clientId: CLIENT_ID, redirectUri: REDIRECT_URI });
    // The system browser, signed in: it follows the URL and lands on the redirect URI.
    const answer = await callAuthorize(browser, `${new URL(url).pathname}${new URL(url).search}`);
    await doorman.completeBrowserSignIn(answer.headers.get("location")!, pending);

    expect(await doorman.isSignedIn()).toBe(true);
    const response = await doorman.fetch("/api/me");
    expect((await response.json()).user.id).toBe(user.id);
    // The same callback again: the code is spent.
    await expect(doorman.completeBrowserSignIn(answer.headers.get("location")!, pending)).rejects.toMatchObject({ status: 400, code: "invalid_grant" });
  });

  it("mints no code for a fetch or a prefetch, only for a navigation (Sec-Fetch-Mode), nor for Next's server-side fetch of an action's redirect", async () => {
    const { browser } = await signedInBrowser();
    const { path } = await authorizationRequest();
    for (const mode of ["cors", "no-cors", "same-origin"]) {
      const response = await callAuthorize(browser, path, { "sec-fetch-mode": mode });
      expect(response.status, mode).toBe(400);
      expect(response.headers.get("location")).toBeNull();
    }
    expect(await countRows(authorizationCodes)).toBe(0);
    redirectedBack(await callAuthorize(browser, path, { "sec-fetch-mode": "navigate", "sec-fetch-site": "same-origin" }));
    expect(await countRows(authorizationCodes)).toBe(1);
  });

  it("matches a loopback redirect URI on any port (RFC 8252 §7.3), and nothing else about it", async () => {
    const { browser } = await signedInBrowser();
    const { code, pending } = await codeFor(browser, { redirectUri: "http://127.0.0.1:51234/callback" });
    expect((await redeem(code, pending)).status).toBe(200);
    for (const redirectUri of ["http://127.0.0.1:51234/other", "http://localhost:51234/callback", "https://127.0.0.1:51234/callback", "http://127.0.0.1:51234/a/../callback"]) {
      const { path } = await authorizationRequest({ redirectUri });
      const response = await callAuthorize(browser, path);
      expect(response.status, redirectUri).toBe(400);
    }
  });
});

describe("the native session stands on the browser's authentication, not a new one", () => {
  const sessionRow = async (sid: string) => {
    const [row] = await (await getDb()).select({ authenticatedAt: sessions.authenticatedAt, twoFactor: sessions.twoFactor }).from(sessions).where(eq(sessions.id, sid));
    return row!;
  };
  const beginTotpWithBearer = (accessToken: string) =>
    new TestClient().call(h(beginTotp), { path: "/api/auth/totp", headers: { authorization: `Bearer ${accessToken}` } });

  it("a browser idle past the step-up window hands the app a session that must step up too", async () => {
    const { user, browser } = await signedInBrowser();
    // Signed in long ago: an unattended laptop, or a stolen cookie.
    const signedInAt = new Date(Date.now() - (STEP_UP_WINDOW_SECONDS + 60) * 1000);
    await (await getDb()).update(sessions).set({ authenticatedAt: signedInAt }).where(eq(sessions.userId, user.id));

    const { code, pending } = await codeFor(browser);
    const tokens = await redeemed(code, pending);
    const native = await sessionRow(decodeJwt(tokens.access_token).sid as string);
    expect(native.authenticatedAt.getTime()).toBe(signedInAt.getTime());
    await expectJsonError(await beginTotpWithBearer(tokens.access_token), 403, "reauthentication_required");
  });

  it("a freshly signed-in browser hands over a fresh session: sensitive changes pass", async () => {
    const { browser } = await signedInBrowser();
    const { code, pending } = await codeFor(browser);
    const tokens = await redeemed(code, pending);
    expect((await beginTotpWithBearer(tokens.access_token)).status).toBe(200);
  });

  it.each([true, false])("two factors in the browser (%s) are two factors in the app, and one is one", async (twoFactor) => {
    const { user, browser } = await signedInBrowser();
    await (await getDb()).update(sessions).set({ twoFactor }).where(eq(sessions.userId, user.id));
    const { code, pending } = await codeFor(browser);
    const [row] = await (await getDb()).select({ twoFactor: authorizationCodes.twoFactor }).from(authorizationCodes);
    expect(row?.twoFactor).toBe(twoFactor);
    const tokens = await redeemed(code, pending);
    expect((await sessionRow(decodeJwt(tokens.access_token).sid as string)).twoFactor).toBe(twoFactor);
  });
});

describe("the authorization_code grant refuses", () => {
  it.each([
    ["another registered client's id", { client_id: "com.example.other" }],
    ["another registered redirect URI", { redirect_uri: "https://notes.example.com/oauth/callback" }],
    ["another verifier", { code_verifier: "x".repeat(43) }],
  ])("%s: invalid_grant, and the code is spent", async (_, change) => {
    const { browser } = await signedInBrowser();
    const { code, pending } = await codeFor(browser);
    await expectJsonError(await redeem(code, pending, change), 400, "invalid_grant");
    // One guess per code: the right request now finds it used.
    await expectJsonError(await redeem(code, pending), 400, "invalid_grant");
    expect(await countRows(sessions, eq(sessions.kind, "native"))).toBe(0);
  });

  it("a code after its 60 seconds", async () => {
    const { browser } = await signedInBrowser();
    const early = await codeFor(browser);
    const late = await codeFor(browser);
    advanceClock(59);
    expect((await redeem(early.code, early.pending)).status).toBe(200);
    advanceClock(2);
    await expectJsonError(await redeem(late.code, late.pending), 400, "invalid_grant");
  });

  it("a replayed code, and revokes the session its first redemption opened (RFC 6749 §4.1.2)", async () => {
    const { user, browser } = await signedInBrowser();
    const { code, pending } = await codeFor(browser);
    const first = await redeemed(code, pending);
    const sid = decodeJwt(first.access_token).sid as string;

    await expectJsonError(await redeem(code, pending), 400, "invalid_grant");

    await expectJsonError(await meWithBearer(first.access_token), 401, "invalid_session");
    const refresh = await new TestClient().call(h(token), { path: "/api/auth/token", json: { grant_type: "refresh_token", refresh_token: first.refresh_token } });
    await expectJsonError(refresh, 400, "invalid_grant");
    const [session] = await (await getDb()).select().from(sessions).where(eq(sessions.id, sid));
    expect(session?.revokedReason).toBe("authorization_code_reuse");
    expect(await countRows(securityEvents, and(eq(securityEvents.type, "authorization_code_reuse"), eq(securityEvents.userId, user.id)))).toBe(1);
    // The browser that approved it is not the one caught: it stays signed in.
    expect((await browser.call(h(me), { path: "/api/me" })).status).toBe(200);
  });

  it("all but one of concurrent redemptions of one code: exactly one 200, one session", async () => {
    const { browser } = await signedInBrowser();
    const { code, pending } = await codeFor(browser);
    const answers = await Promise.all(Array.from({ length: 5 }, () => redeem(code, pending)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400, 400, 400, 400]);
    for (const answer of answers.filter((a) => a.status !== 200)) await expectJsonError(answer, 400, "invalid_grant");
    expect(await countRows(sessions, eq(sessions.kind, "native"))).toBe(1);
    // The others were replays: the one session is revoked as for any replay.
    const [session] = await (await getDb()).select().from(sessions).where(eq(sessions.kind, "native"));
    expect(session?.revokedReason).toBe("authorization_code_reuse");
  });

  it("a code whose user was disabled after it was issued", async () => {
    const { user, browser } = await signedInBrowser();
    const { code, pending } = await codeFor(browser);
    await (await getDb()).update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    await expectJsonError(await redeem(code, pending), 400, "invalid_grant");
    expect(await countRows(sessions, eq(sessions.kind, "native"))).toBe(0);
  });

  it("a made-up code, and a malformed verifier as an invalid request naming it", async () => {
    const { browser } = await signedInBrowser();
    const { code, pending } = await codeFor(browser);
    await expectJsonError(await redeem("A".repeat(43), pending), 400, "invalid_grant");
    const malformed = await expectJsonError(await redeem(code, pending, { code_verifier: "short" }), 400, "invalid_request");
    expect(Object.keys(malformed.error.fields ?? {})).toEqual(["code_verifier"]);
    // Refused before it was looked up: the code is still good.
    expect((await redeem(code, pending)).status).toBe(200);
  });
});

describe("GET /api/auth/authorize, refused", () => {
  it.each([
    ["an unknown client", { client_id: "com.example.unknown" }],
    ["no client", { client_id: null }],
    ["a redirect URI not registered", { redirect_uri: "com.example.notes:/elsewhere" }],
    ["another client's redirect URI", { redirect_uri: "com.example.other:/oauth/callback" }],
    ["a registered redirect URI with a fragment", { redirect_uri: `${REDIRECT_URI}#x` }],
    ["no redirect URI", { redirect_uri: null }],
  ])("%s: a 400 page, never a redirect, no code", async (_, change) => {
    const { browser } = await signedInBrowser();
    const { path } = await authorizePathWith(change);
    const response = await callAuthorize(browser, path);
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await response.text()).toContain("Sign-in request refused");
    expect(await countRows(authorizationCodes)).toBe(0);
  });

  it("a client or redirect URI named twice (RFC 6749 §3.1): a 400 page, even when both are the same", async () => {
    const { browser } = await signedInBrowser();
    const { path } = await authorizationRequest();
    for (const extra of [`client_id=${CLIENT_ID}`, `redirect_uri=${encodeURIComponent(REDIRECT_URI)}`]) {
      const response = await callAuthorize(browser, `${path}&${extra}`);
      expect(response.status, extra).toBe(400);
      expect(response.headers.get("location")).toBeNull();
    }
    expect(await countRows(authorizationCodes)).toBe(0);
  });

  it.each([
    ["no code_challenge", { code_challenge: null }, "invalid_request"],
    ["a code_challenge too short", { code_challenge: "a".repeat(42) }, "invalid_request"],
    ["a code_challenge too long", { code_challenge: "a".repeat(129) }, "invalid_request"],
    ["a code_challenge with other characters", { code_challenge: `${"a".repeat(42)}+` }, "invalid_request"],
    ["the plain method", { code_challenge_method: "plain" }, "invalid_request"],
    ["no method", { code_challenge_method: null }, "invalid_request"],
    ["response_type token", { response_type: "token" }, "unsupported_response_type"],
    ["no response_type", { response_type: null }, "invalid_request"],
  ])("%s: back to the app with the error, its state and iss, and no code", async (_, change, error) => {
    const { browser } = await signedInBrowser();
    const { path, pending } = await authorizePathWith(change);
    const params = redirectedBack(await callAuthorize(browser, path));
    expect(params.get("error")).toBe(error);
    expect(params.get("error_description")).toMatch(/^[A-Z].*\.$/);
    expect(params.get("state")).toBe(pending.state);
    expect(params.get("code")).toBeNull();
    expect(await countRows(authorizationCodes)).toBe(0);
  });

  it("no state: back to the app with invalid_request and no state", async () => {
    const { browser } = await signedInBrowser();
    const { path } = await authorizePathWith({ state: null });
    const params = redirectedBack(await callAuthorize(browser, path));
    expect(params.get("error")).toBe("invalid_request");
    expect(params.has("state")).toBe(false);
    expect(await countRows(authorizationCodes)).toBe(0);
  });

  it("checks the request before the session: a signed-out browser with a bad challenge goes back to the app, not to /login", async () => {
    const { path } = await authorizePathWith({ code_challenge: "short" });
    expect(redirectedBack(await callAuthorize(new TestClient(), path)).get("error")).toBe("invalid_request");
  });
});

describe("GET /api/auth/authorize, not signed in", () => {
  it("sends the browser to /login with this very request as next", async () => {
    const { path } = await authorizationRequest();
    const response = await callAuthorize(new TestClient(), path);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(`${ISSUER}/login`);
    expect(location.searchParams.get("next")).toBe(path);
    expect(await countRows(authorizationCodes)).toBe(0);
  });

  it("never takes a Bearer token: an app cannot turn its own token into a code", async () => {
    const user = await createUser("ada@example.com");
    const tokens = await (await new TestClient().call(h(token), { path: "/api/auth/token", json: { grant_type: "password", email: user.email, password: PASSWORD } })).json();
    const { path } = await authorizationRequest();
    const response = await callAuthorize(new TestClient(), path, { authorization: `Bearer ${tokens.access_token}` });
    expect(new URL(response.headers.get("location")!).pathname).toBe("/login");
    expect(await countRows(authorizationCodes)).toBe(0);
  });

  it("sends a browser whose session ended elsewhere to /login, though its access token has not expired", async () => {
    const { browser } = await signedInBrowser();
    await (await getDb()).update(sessions).set({ revokedAt: new Date(), revokedReason: "test" });
    const { path } = await authorizationRequest();
    const response = await callAuthorize(browser, path);
    expect(new URL(response.headers.get("location")!).pathname).toBe("/login");
    expect(await countRows(authorizationCodes)).toBe(0);
  });
});

describe("the password grant", () => {
  it("is refused with unsupported_grant_type when PASSWORD_GRANT is off, the default", async () => {
    const user = await createUser("ada@example.com");
    const saved = currentEnv(["PASSWORD_GRANT"]);
    try {
      setEnv({ PASSWORD_GRANT: undefined });
      const response = await new TestClient().call(h(token), { path: "/api/auth/token", json: { grant_type: "password", email: user.email, password: PASSWORD } });
      const body = await expectJsonError(response, 400, "unsupported_grant_type");
      expect(body.error.message).toMatch(/browser/);
      expect(await countRows(sessions)).toBe(0);
      // Nothing was checked: no failed sign-in, no throttle counted.
      expect(await countRows(securityEvents)).toBe(0);
    } finally {
      setEnv(saved);
    }
  });
});
