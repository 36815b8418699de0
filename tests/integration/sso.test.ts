import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { GET as callback } from "@/app/api/auth/oidc/[id]/callback/route";
import { GET as start } from "@/app/api/auth/oidc/[id]/start/route";
import { POST as forgotPassword } from "@/app/api/auth/forgot-password/route";
import { POST as resetPassword } from "@/app/api/auth/reset-password/route";
import { POST as secondFactor } from "@/app/api/auth/login/second-factor/route";
import { POST as confirmTotp } from "@/app/api/auth/totp/confirm/route";
import { POST as beginTotp } from "@/app/api/auth/totp/route";
import { getDb } from "@/db/client";
import { decodeBase32, totpCode } from "@/lib/auth/second-factor/totp";
import { securityEvents, sessions, userIdentities, users } from "@/db/schema";
import { cookieNames, secondFactorCookieName, ssoFlowCookieName } from "@/lib/auth/edge/cookies";
import { sealIron, unsealIron } from "@/lib/auth/iron-seal";
import { configuredProvider } from "@/lib/auth/sso/configured-providers";
import { unlinkProvider } from "@/lib/auth/sso/link-provider";
import { beginProviderFlow } from "@/lib/auth/sso/provider-flow";
import { forgetProviderConfigurations } from "@/lib/auth/sso/provider-client";
import { authSecret } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { TestClient, type RouteHandler } from "../support/client";
import { advanceClock } from "../support/clock";
import { currentEnv, setEnv } from "../support/env-vars";
import { PASSWORD, createUser, loginAs, readEmail, tokenFromLink } from "../support/fixtures";
import { expectJsonError } from "../support/http";
import { countRows } from "../support/rows";
import { startBrokenProvider, type BrokenProvider } from "../support/oidc/broken-provider";
import { completeProviderLogin } from "../support/oidc/complete-login";
import { startGitHubStandIn, type GitHubStandIn } from "../support/oidc/github";
import { startTestProvider, type TestProvider } from "../support/oidc/provider";

// Single sign-on through the real route handlers, against a real OpenID
// Provider (oidc-provider), one that breaks its ID tokens on purpose, and a
// GitHub stand-in, all on 127.0.0.1. A browser's part at the provider is
// played over HTTP (completeProviderLogin).

const h = (handler: unknown) => handler as RouteHandler;
const APP = "http://localhost:3000";
const SECRET = "doorman-test-secret";
const clientFor = (id: string) => ({ clientId: "doorman", clientSecret: SECRET, redirectUris: [`${APP}/api/auth/oidc/${id}/callback`] });

let acme: TestProvider;
let broken: BrokenProvider;
let github: GitHubStandIn;
const saved = currentEnv(["OIDC_PROVIDERS"]);

beforeAll(async () => {
  [acme, broken, github] = await Promise.all([
    startTestProvider({ port: 0, clients: [clientFor("acme")] }),
    startBrokenProvider({ port: 0, clients: [clientFor("broken")] }),
    startGitHubStandIn({ port: 0, clients: [clientFor("github")] }),
  ]);
  setEnv({
    OIDC_PROVIDERS: JSON.stringify([
      { id: "acme", name: "Acme", issuer: acme.issuer, clientId: "doorman", clientSecret: SECRET },
      { id: "broken", name: "Broken", issuer: broken.issuer, clientId: "doorman", clientSecret: SECRET },
      { id: "github", clientId: "doorman", clientSecret: SECRET, webUrl: github.webUrl, apiUrl: github.apiUrl },
      // Nothing listens there: a provider that is down.
      { id: "down", name: "Down", issuer: "http://127.0.0.1:9", clientId: "doorman", clientSecret: SECRET },
    ]),
  });
});
afterAll(async () => {
  setEnv(saved);
  forgetProviderConfigurations();
  await Promise.all([acme?.close(), broken?.close(), github?.close()]);
});
beforeEach(() => broken.setMode("ok"));

let counter = 0;
/** A login name no other test uses: the provider's accounts outlive each test's database. */
const fresh = (name: string) => `${name}-${++counter}-${Date.now().toString(36)}`;

/** GET the start route: the redirect to the provider, the flow cookie now in the client's jar. */
async function startAt(provider: string, client: TestClient, next?: string): Promise<Response> {
  const query = next ? `?${new URLSearchParams({ next })}` : "";
  return client.call(h(start), { path: `/api/auth/oidc/${provider}/start${query}`, params: { id: provider } });
}

/** The browser coming back to the callback at the URL the provider sent it to. */
function returnTo(provider: string, client: TestClient, returned: string): Promise<Response> {
  const url = new URL(returned);
  return client.call(h(callback), { path: `${url.pathname}${url.search}`, params: { id: provider } });
}

/** The whole round trip: start, the provider's login page, the callback. */
async function signInWith(provider: string, login: string, options: { client?: TestClient; next?: string; deny?: boolean } = {}) {
  const client = options.client ?? new TestClient();
  const started = await startAt(provider, client, options.next);
  expect(started.status).toBe(303);
  const returned = await completeProviderLogin(started.headers.get("location")!, login, { deny: options.deny });
  const response = await returnTo(provider, client, returned);
  return { client, response, returned, location: new URL(response.headers.get("location") ?? "/", APP) };
}

function expectRefused(result: { client: TestClient; response: Response; location: URL }, code: string): void {
  expect(result.response.status).toBe(303);
  expect(result.location.pathname).toBe("/login");
  expect(result.location.searchParams.get("error")).toBe(code);
  const names = cookieNames();
  expect(result.client.cookie(names.access)).toBeUndefined();
  expect(result.client.cookie(names.refresh)).toBeUndefined();
  expect(result.client.cookie(ssoFlowCookieName())).toBeUndefined();
}

/** Turns on an authenticator for a user through the API; its secret. */
async function enrolTotp(user: { email: string; password: string }): Promise<Buffer> {
  const browser = await loginAs(user);
  const { secret } = await (await browser.call(h(beginTotp), { method: "POST", path: "/api/auth/totp" })).json();
  const key = decodeBase32(secret)!;
  const confirmed = await browser.call(h(confirmTotp), { path: "/api/auth/totp/confirm", json: { code: totpCode(key, new Date()) } });
  expect(confirmed.status).toBe(200);
  return key;
}

async function userByEmail(email: string) {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.emailCanonical, email.toLowerCase()));
  return row ?? null;
}

async function identitiesOf(userId: string) {
  const db = await getDb();
  return db.select().from(userIdentities).where(eq(userIdentities.userId, userId));
}

async function eventsOf(userId: string) {
  const db = await getDb();
  return db.select({ type: securityEvents.type, detail: securityEvents.detail }).from(securityEvents).where(eq(securityEvents.userId, userId));
}

describe("the start route", () => {
  it("redirects to the provider with state, nonce and an S256 challenge, and seals them in a short-lived cookie", async () => {
    const client = new TestClient();
    const response = await startAt("acme", client, "/account");
    expect(response.status).toBe(303);
    const to = new URL(response.headers.get("location")!);
    expect(to.origin).toBe(new URL(acme.issuer).origin);
    const query = Object.fromEntries(to.searchParams);
    expect(query).toMatchObject({ client_id: "doorman", response_type: "code", code_challenge_method: "S256", redirect_uri: `${APP}/api/auth/oidc/acme/callback` });
    expect(query.scope!.split(" ")).toEqual(expect.arrayContaining(["openid", "email"]));
    for (const name of ["state", "nonce", "code_challenge"]) expect(query[name]!.length, name).toBeGreaterThanOrEqual(43);

    const line = response.headers.getSetCookie().find((value) => value.startsWith(`${ssoFlowCookieName()}=`))!;
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Lax/i);
    expect(line).toMatch(/Max-Age=600/);
    // Sealed: neither the state nor the verifier can be read from the cookie.
    const sealed = client.cookie(ssoFlowCookieName())!;
    expect(sealed).not.toContain(query.state!);
    expect(unsealIron(sealed, authSecret())).toMatchObject({ provider: "acme", state: query.state, nonce: query.nonce, next: "/account" });
  });

  it("answers 404 for a provider that is not configured", async () => {
    await expectJsonError(await startAt("nobody", new TestClient()), 404, "not_found");
  });

  it("keeps next on this origin", async () => {
    const client = new TestClient();
    await startAt("acme", client, "https://evil.example/steal");
    expect(unsealIron(client.cookie(ssoFlowCookieName())!, authSecret())).toMatchObject({ next: "/dashboard" });
  });

  it("sends the browser back to /login, saying so, when the provider cannot be reached", async () => {
    const response = await startAt("down", new TestClient());
    expect(response.status).toBe(303);
    const to = new URL(response.headers.get("location")!);
    expect(to.pathname).toBe("/login");
    expect(to.searchParams.get("error")).toBe("provider_unavailable");
  });
});

describe("signing in with a provider", () => {
  it("makes an account for a new identity whose email the provider verified, and starts an ordinary session", async () => {
    const login = fresh("grace");
    const { client, response, location } = await signInWith("acme", login, { next: "/account" });

    expect(response.status).toBe(303);
    expect(location.pathname).toBe("/account");
    const user = await userByEmail(`${login}@example.test`);
    expect(user).toMatchObject({ name: login, passwordHash: null, role: "user" });
    expect(user!.emailVerifiedAt).toBeInstanceOf(Date);
    expect((await identitiesOf(user!.id)).map((row) => [row.provider, row.subject])).toEqual([["acme", `sub-${login}`]]);

    // Doorman's own cookies, with Doorman's own access token: the provider's ID token is nowhere.
    const names = cookieNames();
    const access = decodeJwt(client.cookie(names.access)!);
    expect(access.sub).toBe(user!.id);
    expect(access.iss).not.toBe(acme.issuer);
    expect(client.cookie(names.refresh)).toBeTruthy();
    expect(client.cookie(ssoFlowCookieName())).toBeUndefined();
    const db = await getDb();
    expect(await db.select({ kind: sessions.kind }).from(sessions).where(eq(sessions.userId, user!.id))).toEqual([{ kind: "browser" }]);
    expect(await eventsOf(user!.id)).toEqual(
      expect.arrayContaining([
        { type: "sign_up", detail: { provider: "acme" } },
        { type: "sign_in", detail: { provider: "acme", newDevice: false } },
      ]),
    );
  });

  it("signs the same identity in to the same account next time, whatever email it now reports", async () => {
    const login = fresh("alan");
    const first = await signInWith("acme", login);
    const user = await userByEmail(`${login}@example.test`);
    acme.addAccount({ login, sub: `sub-${login}`, email: `${login}@elsewhere.test`, email_verified: false });
    const second = await signInWith("acme", login);
    expect(second.location.pathname).toBe("/dashboard");
    expect(decodeJwt(second.client.cookie(cookieNames().access)!).sub).toBe(user!.id);
    expect(decodeJwt(first.client.cookie(cookieNames().access)!).sub).toBe(user!.id);
    expect(await countRows(users)).toBe(1);
    expect((await identitiesOf(user!.id))[0]!.email).toBe(`${login}@elsewhere.test`);
  });

  it("ends on /login with a message when the person cancels at the provider", async () => {
    expectRefused(await signInWith("acme", fresh("deny"), { deny: true }), "access_denied");
    expect(await countRows(users)).toBe(0);
  });

  it("refuses an answer whose state is not this browser's", async () => {
    const client = new TestClient();
    const started = await startAt("acme", client);
    const returned = new URL(await completeProviderLogin(started.headers.get("location")!, fresh("state")));
    returned.searchParams.set("state", "a".repeat(43));
    const response = await returnTo("acme", client, returned.href);
    expectRefused({ client, response, location: new URL(response.headers.get("location")!, APP) }, "invalid_response");
    expect(await countRows(sessions)).toBe(0);
  });

  it("refuses an answer without a state", async () => {
    const client = new TestClient();
    const started = await startAt("acme", client);
    const returned = new URL(await completeProviderLogin(started.headers.get("location")!, fresh("nostate")));
    returned.searchParams.delete("state");
    const response = await returnTo("acme", client, returned.href);
    expectRefused({ client, response, location: new URL(response.headers.get("location")!, APP) }, "invalid_response");
  });

  it("refuses a flow cookie that holds no PKCE verifier, even one sealed with the server's secret", async () => {
    const client = new TestClient();
    const started = await startAt("acme", client);
    const returned = await completeProviderLogin(started.headers.get("location")!, fresh("noverifier"));
    const { verifier: _verifier, ...flow } = unsealIron(client.cookie(ssoFlowCookieName())!, authSecret()) as Record<string, unknown>;
    client.cookies.set(ssoFlowCookieName(), sealIron(flow, authSecret(), 600));
    const response = await returnTo("acme", client, returned);
    expectRefused({ client, response, location: new URL(response.headers.get("location")!, APP) }, "flow_expired");
    expect(await countRows(sessions)).toBe(0);
  });

  it("refuses an answer that arrives in a browser that never started the flow (login CSRF)", async () => {
    const victim = new TestClient();
    const attacker = new TestClient();
    const started = await startAt("acme", attacker);
    const returned = await completeProviderLogin(started.headers.get("location")!, fresh("attacker"));
    const response = await returnTo("acme", victim, returned);
    expectRefused({ client: victim, response, location: new URL(response.headers.get("location")!, APP) }, "flow_expired");
    expect(await countRows(users)).toBe(0);
  });

  it("refuses a flow cookie sealed for another provider", async () => {
    const client = new TestClient();
    const started = await startAt("acme", client);
    const returned = await completeProviderLogin(started.headers.get("location")!, fresh("bound"));
    const response = await returnTo("github", client, returned.replace("/oidc/acme/", "/oidc/github/"));
    expectRefused({ client, response, location: new URL(response.headers.get("location")!, APP) }, "flow_expired");
  });

  it("refuses a flow left for more than ten minutes", async () => {
    const client = new TestClient();
    const started = await startAt("acme", client);
    const returned = await completeProviderLogin(started.headers.get("location")!, fresh("slow"));
    advanceClock(11 * 60);
    const response = await returnTo("acme", client, returned);
    expectRefused({ client, response, location: new URL(response.headers.get("location")!, APP) }, "flow_expired");
  });

  it("redeems the code only with this flow's PKCE verifier", async () => {
    const client = new TestClient();
    const started = await startAt("acme", client);
    const returned = await completeProviderLogin(started.headers.get("location")!, fresh("verifier"));
    // The same flow, resealed with another verifier: the provider refuses the code.
    const flow = unsealIron(client.cookie(ssoFlowCookieName())!, authSecret()) as Record<string, unknown>;
    client.cookies.set(ssoFlowCookieName(), sealIron({ ...flow, verifier: "v".repeat(43) }, authSecret(), 600));
    const response = await returnTo("acme", client, returned);
    expectRefused({ client, response, location: new URL(response.headers.get("location")!, APP) }, "invalid_response");
  });

  it("redeems a code once: the same answer replayed with the same flow cookie starts no second session", async () => {
    const client = new TestClient();
    const started = await startAt("acme", client);
    const flowCookie = client.cookie(ssoFlowCookieName())!;
    const returned = await completeProviderLogin(started.headers.get("location")!, fresh("replay"));
    expect((await returnTo("acme", client, returned)).status).toBe(303);
    expect(await countRows(sessions)).toBe(1);

    const replayer = new TestClient();
    replayer.cookies.set(ssoFlowCookieName(), flowCookie);
    const response = await returnTo("acme", replayer, returned);
    expectRefused({ client: replayer, response, location: new URL(response.headers.get("location")!, APP) }, "invalid_response");
    expect(await countRows(sessions)).toBe(1);
  });

  it.each([
    ["wrong-aud", "an ID token for another client"],
    ["wrong-iss", "an ID token from another issuer"],
    ["expired", "an expired ID token"],
    ["alg-none", "an unsigned ID token (alg: none)"],
    ["nonce-mismatch", "an ID token with another flow's nonce"],
    ["bad-signature", "an ID token signed by a key not in the provider's JWKS"],
  ] as const)("refuses %s: %s", async (mode, _fault) => {
    broken.setMode(mode);
    const result = await signInWith("broken", fresh(mode));
    expectRefused(result, "invalid_response");
    expect(await countRows(users)).toBe(0);
    expect(await countRows(sessions)).toBe(0);
  });

  it("accepts the same provider's tokens when nothing is wrong with them (control for the faults above)", async () => {
    const result = await signInWith("broken", fresh("control"));
    expect(result.location.pathname).toBe("/dashboard");
    expect(await countRows(sessions)).toBe(1);
  });
});

describe("which account a new identity signs in to", () => {
  it("links to the account with the same address when both the provider and the account verified it, and tells the owner", async () => {
    const owner = await createUser("turing@example.com", { name: "Alan Turing" });
    const login = fresh("turing");
    acme.addAccount({ login, sub: `sub-${login}`, email: "Turing@Example.com", email_verified: true });
    const { client, location } = await signInWith("acme", login);
    expect(location.pathname).toBe("/dashboard");
    expect(decodeJwt(client.cookie(cookieNames().access)!).sub).toBe(owner.id);
    expect(await identitiesOf(owner.id)).toHaveLength(1);
    expect(await eventsOf(owner.id)).toEqual(expect.arrayContaining([{ type: "provider_linked", detail: { provider: "acme", by: "matching_email" } }]));
    const notice = await readEmail("turing@example.com");
    expect(notice?.kind).toBe("provider_linked");
    expect(notice?.textBody).toContain("Acme");
  });

  it("sends an account with a second factor on to the second-factor step, next kept, and opens the session only with a code", async () => {
    const owner = await createUser("hopper@example.com", { name: "Grace Hopper" });
    const secret = await enrolTotp(owner);
    const login = fresh("hopper");
    acme.addAccount({ login, sub: `sub-${login}`, email: "hopper@example.com", email_verified: true });
    const { client, response, location } = await signInWith("acme", login, { next: "/account" });
    expect(response.status).toBe(303);
    expect(location.pathname).toBe("/login/second-factor");
    expect(location.searchParams.get("next")).toBe("/account");
    expect(client.cookie(cookieNames().access)).toBeUndefined();
    expect(client.cookie(cookieNames().refresh)).toBeUndefined();
    expect(client.cookie(secondFactorCookieName())).toBeTruthy();

    const done = await client.call(h(secondFactor), { path: "/api/auth/login/second-factor", json: { code: totpCode(secret, new Date(Date.now() + 30_000)) } });
    expect(done.status).toBe(200);
    expect(decodeJwt(client.cookie(cookieNames().access)!).sub).toBe(owner.id);
    const signIns = (await eventsOf(owner.id)).filter((event) => event.type === "sign_in");
    expect(signIns.at(-1)!.detail).toEqual({ newDevice: false, provider: "acme", secondFactor: "totp" });
  });

  it("does not link when the provider has not verified the address: the owner signs in with their password and links", async () => {
    const owner = await createUser("hopper@example.com");
    const login = fresh("hopper");
    acme.addAccount({ login, sub: `sub-${login}`, email: "hopper@example.com", email_verified: false });
    expectRefused(await signInWith("acme", login), "link_required");
    expect(await identitiesOf(owner.id)).toHaveLength(0);
    expect(await countRows(sessions)).toBe(0);
  });

  it("makes no account for an address the provider has not verified", async () => {
    const login = fresh("unverified");
    acme.addAccount({ login, sub: `sub-${login}`, email: `${login}@example.test`, email_verified: false });
    expectRefused(await signInWith("acme", login), "email_unverified");
    expect(await countRows(users)).toBe(0);
  });

  it("makes no account when the provider shares no address", async () => {
    const login = fresh("noemail");
    acme.addAccount({ login, sub: `sub-${login}`, email: null });
    expectRefused(await signInWith("acme", login), "email_missing");
    expect(await countRows(users)).toBe(0);
  });

  it("claims a pending signup for the provider-proven owner: verified, and the stranger's password gone", async () => {
    const db = await getDb();
    const now = new Date();
    const pendingId = crypto.randomUUID();
    await db.insert(users).values({ id: pendingId, email: "lamarr@example.com", emailCanonical: "lamarr@example.com", name: "Stranger", passwordHash: "$2b$12$strangerschosenpasswordhashxxxxxxxxxxxxxxxxxxxxxxxxx", createdAt: now, updatedAt: now });
    const login = fresh("lamarr");
    acme.addAccount({ login, sub: `sub-${login}`, email: "lamarr@example.com", email_verified: true });
    const { client } = await signInWith("acme", login);
    expect(decodeJwt(client.cookie(cookieNames().access)!).sub).toBe(pendingId);
    const [row] = await db.select().from(users).where(eq(users.id, pendingId));
    expect(row!.passwordHash).toBeNull();
    expect(row!.emailVerifiedAt).toBeInstanceOf(Date);
  });

  it("refuses a disabled account, linked or matched by address", async () => {
    const owner = await createUser("noether@example.com");
    const login = fresh("noether");
    acme.addAccount({ login, sub: `sub-${login}`, email: "noether@example.com", email_verified: true });
    const db = await getDb();
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, owner.id));
    expectRefused(await signInWith("acme", login), "account_disabled");
    await db.update(users).set({ disabledAt: null }).where(eq(users.id, owner.id));
    await signInWith("acme", login);
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, owner.id));
    expectRefused(await signInWith("acme", login), "account_disabled");
  });
});

describe("GitHub, which issues no ID token", () => {
  it("signs in with the account's primary verified address from its API, keyed on the numeric id", async () => {
    const login = fresh("octo");
    const account = github.addAccount({ login, emails: [{ email: `${login}@users.test`, verified: true, primary: true }] });
    const { client, location } = await signInWith("github", login);
    expect(location.pathname).toBe("/dashboard");
    const user = await userByEmail(`${login}@users.test`);
    expect(decodeJwt(client.cookie(cookieNames().access)!).sub).toBe(user!.id);
    expect((await identitiesOf(user!.id))[0]).toMatchObject({ provider: "github", subject: String(account.id) });
  });

  it("makes no account from an unverified primary address", async () => {
    const login = fresh("octo-unverified");
    github.addAccount({ login, emails: [{ email: `${login}@users.test`, verified: false, primary: true }] });
    expectRefused(await signInWith("github", login), "email_unverified");
  });
});

describe("the account made by single sign-on", () => {
  it("has no password until its owner sets one through the reset flow, then signs in with either", async () => {
    const login = fresh("curie");
    await signInWith("acme", login);
    const email = `${login}@example.test`;
    const asked = await new TestClient().call(h(forgotPassword), { path: "/api/auth/forgot-password", json: { email } });
    expect(asked.status).toBe(202);
    const token = tokenFromLink((await readEmail(email))!.textBody, "/reset-password");
    const reset = await new TestClient().call(h(resetPassword), { path: "/api/auth/reset-password", json: { token, password: PASSWORD } });
    expect(reset.status).toBe(200);
    await loginAs({ email, password: PASSWORD });
    expect((await signInWith("acme", login)).location.pathname).toBe("/dashboard");
  });
});

describe("unlinking", () => {
  const meta = { ip: "203.0.113.9", userAgent: "test" };

  it("keeps the last way in of an account without a password", async () => {
    const login = fresh("solo");
    await signInWith("acme", login);
    const user = await userByEmail(`${login}@example.test`);
    const [identity] = await identitiesOf(user!.id);
    const attempt = unlinkProvider({ userId: user!.id, sessionId: crypto.randomUUID(), identityId: identity!.id, meta });
    await expect(attempt).rejects.toMatchObject({ code: "last_sign_in_method" });
    expect(await identitiesOf(user!.id)).toHaveLength(1);
  });

  it("removes a provider from an account that has a password, records it and tells the owner", async () => {
    const owner = await createUser("lovelace@example.com");
    const login = fresh("lovelace");
    acme.addAccount({ login, sub: `sub-${login}`, email: "lovelace@example.com", email_verified: true });
    await signInWith("acme", login);
    const [identity] = await identitiesOf(owner.id);
    await unlinkProvider({ userId: owner.id, sessionId: crypto.randomUUID(), identityId: identity!.id, meta });
    expect(await identitiesOf(owner.id)).toHaveLength(0);
    expect(await eventsOf(owner.id)).toEqual(expect.arrayContaining([{ type: "provider_unlinked", detail: { provider: "acme" } }]));
    expect((await readEmail("lovelace@example.com"))?.kind).toBe("provider_unlinked");
  });

  it("answers not found for another user's identity", async () => {
    const login = fresh("other");
    await signInWith("acme", login);
    const other = await userByEmail(`${login}@example.test`);
    const [identity] = await identitiesOf(other!.id);
    const me = await createUser("me@example.com");
    const attempt = unlinkProvider({ userId: me.id, sessionId: crypto.randomUUID(), identityId: identity!.id, meta });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: "not_found" });
    const db = await getDb();
    expect(await db.select().from(userIdentities).where(and(eq(userIdentities.id, identity!.id)))).toHaveLength(1);
  });
});

describe("linking from the account page", () => {
  /** What linkProviderAction does: a flow that records who asked, in this browser's jar. */
  async function startLink(client: TestClient, target: { userId: string; sessionId: string }): Promise<string> {
    const { url, flow } = await beginProviderFlow(configuredProvider("acme")!, { next: "/account", link: target });
    client.cookies.set(ssoFlowCookieName(), sealIron({ purpose: "sso-flow", ...flow }, authSecret(), 600));
    return url.href;
  }

  async function signedIn(email: string) {
    const user = await createUser(email);
    const client = await loginAs(user);
    const sessionId = decodeJwt(client.cookie(cookieNames().access)!).sid as string;
    return { user, client, sessionId };
  }

  it("links any provider account the signed-in owner also holds, whatever its address, and tells them", async () => {
    const { user, client, sessionId } = await signedIn("babbage@example.com");
    const login = fresh("babbage");
    acme.addAccount({ login, sub: `sub-${login}`, email: "charles@elsewhere.test", email_verified: false });
    const returned = await completeProviderLogin(await startLink(client, { userId: user.id, sessionId }), login);
    const response = await returnTo("acme", client, returned);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${APP}/account?linked=acme`);
    expect((await identitiesOf(user.id)).map((row) => row.subject)).toEqual([`sub-${login}`]);
    expect(await eventsOf(user.id)).toEqual(expect.arrayContaining([{ type: "provider_linked", detail: { provider: "acme", by: "account_page" } }]));
    expect((await readEmail("babbage@example.com"))?.kind).toBe("provider_linked");
  });

  it("refuses a provider account already linked to someone else", async () => {
    const login = fresh("taken");
    await signInWith("acme", login);
    const { user, client, sessionId } = await signedIn("second@example.com");
    const returned = await completeProviderLogin(await startLink(client, { userId: user.id, sessionId }), login);
    const response = await returnTo("acme", client, returned);
    expect(response.headers.get("location")).toBe(`${APP}/account?sso_error=identity_taken`);
    expect(await identitiesOf(user.id)).toHaveLength(0);
  });

  it("links nothing when the session that asked ended while the person was at the provider", async () => {
    const { user, client, sessionId } = await signedIn("ended@example.com");
    const url = await startLink(client, { userId: user.id, sessionId });
    const db = await getDb();
    await db.update(sessions).set({ revokedAt: new Date(), revokedReason: "test" }).where(eq(sessions.id, sessionId));
    const response = await returnTo("acme", client, await completeProviderLogin(url, fresh("ended")));
    expect(response.headers.get("location")).toBe(`${APP}/account?sso_error=link_session_ended`);
    expect(await identitiesOf(user.id)).toHaveLength(0);
  });
});
