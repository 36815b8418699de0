import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { GET as me } from "@/app/api/me/route";
import { GET as session } from "@/app/api/auth/session/route";
import { GET as listSessions } from "@/app/api/auth/sessions/route";
import { DELETE as deleteSession } from "@/app/api/auth/sessions/[id]/route";
import { POST as logoutAll } from "@/app/api/auth/logout-all/route";
import { POST as changePassword } from "@/app/api/auth/change-password/route";
import { GET as listKeys, POST as createKey } from "@/app/api/auth/api-keys/route";
import { DELETE as deleteKey } from "@/app/api/auth/api-keys/[id]/route";
import { POST as token } from "@/app/api/auth/token/route";
import { executeRows, getDb } from "@/db/client";
import { apiKeys, securityEvents, sessions, users } from "@/db/schema";
import { API_KEY_PATTERN, generateApiKey, hashApiKey } from "@/lib/auth/api-keys/format";
import { API_KEY_SCOPES, type ApiKeyScope } from "@/lib/auth/api-keys/scopes";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { listAccountActivity } from "@/lib/auth/events/security-activity";
import { resetEnvCache } from "@/lib/env";
import { TestClient, type RouteHandler } from "../support/client";
import { adminApi } from "../support/admin-api";
import { advanceClock } from "../support/clock";
import { createUser, loginAs, PASSWORD, readEmail } from "../support/fixtures";
import { CROSS_SITE, expectJsonError } from "../support/http";
import { databaseCallsDuring, statementsSentDuring } from "../support/statements";

// API keys (docs/decisions/0035): one way in, through authorize(request, scope).

const h = (handler: unknown) => handler as RouteHandler;
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const SCRIPT_IP = "203.0.113.7";

type Created = { apiKey: { id: string; name: string; prefix: string; scopes: string[]; createdAt: string; expiresAt: string | null; lastUsedAt: string | null }; key: string };

async function newKey(browser: TestClient, body: { name?: string; scopes: ApiKeyScope[]; expiresInDays?: 30 | 90 | 365 | null }): Promise<Created> {
  const response = await browser.call(h(createKey), { path: "/api/auth/api-keys", json: { name: "deploy script", expiresInDays: 30, ...body } });
  expect(response.status, await response.clone().text()).toBe(201);
  return response.json();
}

/** A script: no cookies, the key in Authorization, from its own address. */
function withKey(key: string, extra: Record<string, string> = {}) {
  return { headers: { authorization: `Bearer ${key}`, "x-doorman-peer-ip": SCRIPT_IP, ...extra } };
}
const script = () => new TestClient();

async function signedIn(role: "user" | "admin" = "user") {
  const user = await createUser(role === "admin" ? "root@example.com" : "ada@example.com", { role });
  return { user, browser: await loginAs(user) };
}

/** Every route that takes a key, the scope it needs, and a call that succeeds with it. */
async function routesByScope(owner: { id: string }, other: { id: string }) {
  const db = await getDb();
  const sessionOf = async () => (await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, owner.id)))[0]?.id ?? UNKNOWN_ID;
  return [
    { name: "GET /api/me", scope: "me:read", ok: 200, call: (key: string) => script().call(h(me), { path: "/api/me", ...withKey(key) }) },
    { name: "GET /api/auth/session", scope: "me:read", ok: 200, call: (key: string) => script().call(h(session), { path: "/api/auth/session", ...withKey(key) }) },
    { name: "GET /api/auth/sessions", scope: "sessions:read", ok: 200, call: (key: string) => script().call(h(listSessions), { path: "/api/auth/sessions", ...withKey(key) }) },
    {
      name: "DELETE /api/auth/sessions/:id",
      scope: "sessions:write",
      ok: 204,
      call: async (key: string) => {
        const id = await sessionOf();
        return script().call(h(deleteSession), { method: "DELETE", path: `/api/auth/sessions/${id}`, params: { id }, ...withKey(key) });
      },
    },
    { name: "POST /api/auth/logout-all", scope: "sessions:write", ok: 204, call: (key: string) => script().call(h(logoutAll), { method: "POST", path: "/api/auth/logout-all", ...withKey(key) }) },
    { name: "GET /api/admin/users", scope: "admin:read", ok: 200, call: (key: string) => adminApi.list(script(), "", withKey(key)) },
    { name: "GET /api/admin/users/:id", scope: "admin:read", ok: 200, call: (key: string) => adminApi.get(script(), other.id, withKey(key)) },
    { name: "DELETE /api/admin/users/:id/sessions", scope: "admin:write", ok: 200, call: (key: string) => adminApi.endSessions(script(), other.id, withKey(key)) },
    { name: "POST /api/admin/users/:id/disable", scope: "admin:write", ok: 200, call: (key: string) => adminApi.disable(script(), other.id, withKey(key)) },
    { name: "POST /api/admin/users/:id/enable", scope: "admin:write", ok: 200, call: (key: string) => adminApi.enable(script(), other.id, withKey(key)) },
    { name: "PATCH /api/admin/users/:id/role", scope: "admin:write", ok: 200, call: (key: string) => adminApi.setRole(script(), other.id, { role: "user" }, withKey(key)) },
  ] as const;
}

describe("creating a key", () => {
  it("answers 201 with the key once, in the published format; the list and the database hold no key", async () => {
    const { user, browser } = await signedIn();
    const response = await browser.call(h(createKey), {
      path: "/api/auth/api-keys",
      json: { name: "  deploy script ", scopes: ["sessions:read", "me:read", "me:read"], expiresInDays: 90 },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(["apiKey", "key"]);
    expect(body.key).toMatch(API_KEY_PATTERN);
    expect(body.apiKey).toEqual({
      id: expect.any(String),
      name: "deploy script",
      prefix: body.key.slice(0, 10),
      scopes: ["me:read", "sessions:read"],
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      lastUsedAt: null,
    });
    const days = (new Date(body.apiKey.expiresAt).getTime() - new Date(body.apiKey.createdAt).getTime()) / 86_400_000;
    expect(days).toBe(90);

    const list = await browser.call(h(listKeys), { path: "/api/auth/api-keys" });
    expect(list.status).toBe(200);
    const listed = await list.text();
    expect(JSON.parse(listed)).toEqual({ apiKeys: [body.apiKey] });
    expect(listed).not.toContain(body.key.slice(10));

    const db = await getDb();
    const rows = await executeRows<Record<string, unknown>>(db, sql`select * from api_keys`);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(body.key.slice(10));
    expect(rows[0]!.key_hash).toBe(hashApiKey(body.key));
    expect(rows[0]!.user_id).toBe(user.id);
  });

  it("records a security event and emails the owner", async () => {
    const { user, browser } = await signedIn();
    const { apiKey, key } = await newKey(browser, { scopes: ["me:read"] });
    const db = await getDb();
    const events = await db.select({ type: securityEvents.type, detail: securityEvents.detail }).from(securityEvents).where(eq(securityEvents.userId, user.id));
    expect(events).toContainEqual({ type: "api_key_created", detail: expect.objectContaining({ keyId: apiKey.id, name: "deploy script", prefix: apiKey.prefix }) });
    expect(JSON.stringify(events)).not.toContain(key.slice(10));
    const email = await readEmail(user.email);
    expect(email?.kind).toBe("api_key_created");
    expect(email?.textBody).toContain(apiKey.prefix);
    expect(email?.textBody).not.toContain(key.slice(10));
  });

  it("refuses bad input: no name, an unknown scope, no scope, a lifetime not offered", async () => {
    const { browser } = await signedIn();
    for (const json of [
      { name: "", scopes: ["me:read"], expiresInDays: 30 },
      { name: "x", scopes: ["me:write"], expiresInDays: 30 },
      { name: "x", scopes: [], expiresInDays: 30 },
      { name: "x", scopes: ["me:read"], expiresInDays: 7 },
      { name: "x", scopes: ["me:read"] },
      { name: "a\u0000b", scopes: ["me:read"], expiresInDays: 30 },
      { name: "<script>alert(1)</script>", scopes: ["me:read"], expiresInDays: 30 },
      { name: "\u202eevil\u202c", scopes: ["me:read"], expiresInDays: 30 },
      { name: "x".repeat(101), scopes: ["me:read"], expiresInDays: 30 },
    ]) {
      await expectJsonError(await browser.call(h(createKey), { path: "/api/auth/api-keys", json }), 400, "invalid_request");
    }
  });

  it("gives admin scopes only to admins", async () => {
    const { browser } = await signedIn("user");
    const refused = await browser.call(h(createKey), { path: "/api/auth/api-keys", json: { name: "x", scopes: ["admin:read"], expiresInDays: 30 } });
    await expectJsonError(refused, 403, "forbidden");
    const admin = await signedIn("admin");
    expect((await newKey(admin.browser, { scopes: ["admin:read", "admin:write"] })).apiKey.scopes).toEqual(["admin:read", "admin:write"]);
  });

  it("with API_KEY_MAX_DAYS set, refuses keys that never expire or outlive it", async () => {
    const { browser } = await signedIn();
    process.env.API_KEY_MAX_DAYS = "90";
    resetEnvCache();
    try {
      for (const expiresInDays of [null, 365]) {
        const response = await browser.call(h(createKey), { path: "/api/auth/api-keys", json: { name: "x", scopes: ["me:read"], expiresInDays } });
        const body = await expectJsonError(response, 400, "invalid_request");
        expect(body.error.fields?.expiresInDays).toMatch(/90 days/);
      }
      expect((await newKey(browser, { scopes: ["me:read"], expiresInDays: 90 })).apiKey.expiresAt).not.toBeNull();
    } finally {
      delete process.env.API_KEY_MAX_DAYS;
      resetEnvCache();
    }
    expect((await newKey(browser, { scopes: ["me:read"], expiresInDays: null })).apiKey.expiresAt).toBeNull();
  });

  it("takes only a browser session: a key cannot create a key, nor a native app's Bearer token; a cross-site request is refused", async () => {
    const { user, browser } = await signedIn();
    const { key } = await newKey(browser, { scopes: [...API_KEY_SCOPES.filter((s) => !s.startsWith("admin"))] });
    const json = { name: "child", scopes: ["me:read"], expiresInDays: 30 };
    await expectJsonError(await script().call(h(createKey), { path: "/api/auth/api-keys", json, ...withKey(key) }), 403, "api_key_not_allowed");
    // Not even beside a valid session cookie: the key is what the request presents.
    await expectJsonError(await browser.call(h(createKey), { path: "/api/auth/api-keys", json, ...withKey(key) }), 403, "api_key_not_allowed");

    const grant = await script().call(h(token), { path: "/api/auth/token", json: { grant_type: "password", email: user.email, password: PASSWORD } });
    const { access_token } = await grant.json();
    await expectJsonError(
      await script().call(h(createKey), { path: "/api/auth/api-keys", json, headers: { authorization: `Bearer ${access_token}` } }),
      403,
      "browser_session_required",
    );
    await expectJsonError(await browser.call(h(createKey), { path: "/api/auth/api-keys", json, headers: CROSS_SITE.fetchMetadata }), 403, "cross_site_request");
    await expectJsonError(await script().call(h(createKey), { path: "/api/auth/api-keys", json }), 401, "unauthenticated");
    const db = await getDb();
    expect(await db.select({ name: apiKeys.name }).from(apiKeys)).toEqual([{ name: "deploy script" }]);
  });
});

describe("using a key", () => {
  it("each route works with its scope and answers 403 insufficient_scope with every other scope", async () => {
    const owner = await createUser("root@example.com", { role: "admin" });
    const other = await createUser("ada@example.com");
    const browser = await loginAs(owner);
    for (const route of await routesByScope(owner, other)) {
      // Each call may sign the owner out (logout-all): a fresh browser session each time.
      const session = await loginAs(owner);
      const allowed = await newKey(session, { scopes: [route.scope] });
      const others = await newKey(session, { scopes: API_KEY_SCOPES.filter((scope) => scope !== route.scope) });
      await expectJsonError(await route.call(others.key), 403, "insufficient_scope");
      const response = await route.call(allowed.key);
      expect(response.status, `${route.name}: ${await response.clone().text()}`).toBe(route.ok);
    }
    expect(browser).toBeDefined();
    // Eleven sign-ins (bcrypt) and twenty-two keys.
  }, 120_000);

  it("GET /api/me answers the owner as they are now; GET /api/auth/session answers session: null and the key", async () => {
    const { user, browser } = await signedIn();
    const { apiKey, key } = await newKey(browser, { scopes: ["me:read"] });
    const meResponse = await script().call(h(me), { path: "/api/me", ...withKey(key) });
    expect(await meResponse.json()).toEqual({ user: { id: user.id, email: user.email, name: "Ada Lovelace", role: "user", emailVerified: true } });
    const sessionResponse = await script().call(h(session), { path: "/api/auth/session", ...withKey(key) });
    expect(await sessionResponse.json()).toEqual({
      user: expect.objectContaining({ id: user.id }),
      session: null,
      apiKey: { id: apiKey.id, scopes: ["me:read"], expiresAt: apiKey.expiresAt },
    });
  });

  it("a key's sessions:write ends sessions but never the keys, and sets no cookie", async () => {
    const { user, browser } = await signedIn();
    const { key } = await newKey(browser, { scopes: ["sessions:write", "me:read"] });
    const response = await script().call(h(logoutAll), { method: "POST", path: "/api/auth/logout-all", ...withKey(key) });
    expect(response.status).toBe(204);
    const db = await getDb();
    const live = await db.select({ revokedAt: sessions.revokedAt }).from(sessions).where(eq(sessions.userId, user.id));
    expect(live.every((row) => row.revokedAt !== null)).toBe(true);
    expect((await script().call(h(me), { path: "/api/me", ...withKey(key) })).status).toBe(200);
  });

  it("routes that take no key refuse one with 403 api_key_not_allowed, before looking it up", async () => {
    const { browser } = await signedIn();
    const { apiKey, key } = await newKey(browser, { scopes: [...API_KEY_SCOPES.filter((s) => !s.startsWith("admin"))] });
    const calls = [
      () => script().call(h(listKeys), { path: "/api/auth/api-keys", ...withKey(key) }),
      () => script().call(h(deleteKey), { method: "DELETE", path: `/api/auth/api-keys/${apiKey.id}`, params: { id: apiKey.id }, ...withKey(key) }),
      () => script().call(h(changePassword), { path: "/api/auth/change-password", json: { currentPassword: PASSWORD, newPassword: "another long passphrase 42" }, ...withKey(key) }),
    ];
    for (const call of calls) {
      let response: Response | undefined;
      expect(await databaseCallsDuring(async () => (response = await call()))).toBe(0);
      await expectJsonError(response!, 403, "api_key_not_allowed");
    }
  });

  it("a key sent with a valid session cookie is judged alone: a bad key is 401 whatever the cookie says", async () => {
    const { browser } = await signedIn();
    await newKey(browser, { scopes: ["me:read"] });
    await expectJsonError(await browser.call(h(me), { path: "/api/me", ...withKey(generateApiKey()) }), 401, "invalid_api_key");
    expect(browser.cookie(cookieNames().access), "no cookie was cleared").toBeDefined();
    expect((await browser.call(h(me), { path: "/api/me" })).status).toBe(200);
  });
});

describe("refusing a key", () => {
  it("refuses a mistyped key (checksum) and a malformed one without a database query; an unknown well-formed one costs one read", async () => {
    const { browser } = await signedIn();
    const { key } = await newKey(browser, { scopes: ["me:read"] });
    const typo = key.slice(0, 20) + (key[20] === "x" ? "y" : "x") + key.slice(21);
    for (const bad of [typo, key.slice(0, -1), `${key}0`, "dmn_", "dmn_short"]) {
      let response: Response | undefined;
      expect(await databaseCallsDuring(async () => (response = await script().call(h(me), { path: "/api/me", ...withKey(bad) }))), bad).toBe(0);
      await expectJsonError(response!, 401, "invalid_api_key");
    }
    let unknown: Response | undefined;
    expect(await databaseCallsDuring(async () => (unknown = await script().call(h(me), { path: "/api/me", ...withKey(generateApiKey()) })))).toBe(1);
    await expectJsonError(unknown!, 401, "invalid_api_key");
  });

  it("refuses an expired key", async () => {
    const { browser } = await signedIn();
    const { key } = await newKey(browser, { scopes: ["me:read"], expiresInDays: 30 });
    advanceClock(30 * 86_400 - 60);
    expect((await script().call(h(me), { path: "/api/me", ...withKey(key) })).status).toBe(200);
    advanceClock(61);
    await expectJsonError(await script().call(h(me), { path: "/api/me", ...withKey(key) }), 401, "invalid_api_key");
  });

  it("refuses a revoked key on its next request; the revocation is an event and an email; another user's key is 404", async () => {
    const { user, browser } = await signedIn();
    const { apiKey, key } = await newKey(browser, { scopes: ["me:read"] });
    expect((await script().call(h(me), { path: "/api/me", ...withKey(key) })).status).toBe(200);

    const stranger = await loginAs(await createUser("eve@example.com"));
    await expectJsonError(await stranger.call(h(deleteKey), { method: "DELETE", path: `/api/auth/api-keys/${apiKey.id}`, params: { id: apiKey.id } }), 404, "not_found");
    expect((await script().call(h(me), { path: "/api/me", ...withKey(key) })).status).toBe(200);

    await expectJsonError(
      await browser.call(h(deleteKey), { method: "DELETE", path: `/api/auth/api-keys/${apiKey.id}`, params: { id: apiKey.id }, headers: CROSS_SITE.foreignOrigin }),
      403,
      "cross_site_request",
    );
    const revoked = await browser.call(h(deleteKey), { method: "DELETE", path: `/api/auth/api-keys/${apiKey.id}`, params: { id: apiKey.id } });
    expect(revoked.status).toBe(204);
    await expectJsonError(await script().call(h(me), { path: "/api/me", ...withKey(key) }), 401, "invalid_api_key");
    await expectJsonError(await browser.call(h(deleteKey), { method: "DELETE", path: `/api/auth/api-keys/${apiKey.id}`, params: { id: apiKey.id } }), 404, "not_found");
    expect(await (await browser.call(h(listKeys), { path: "/api/auth/api-keys" })).json()).toEqual({ apiKeys: [] });

    const db = await getDb();
    const types = (await db.select({ type: securityEvents.type }).from(securityEvents).where(eq(securityEvents.userId, user.id))).map((e) => e.type);
    expect(types).toContain("api_key_revoked");
    expect((await readEmail(user.email))?.kind).toBe("api_key_revoked");
  });

  it("refuses the key of a disabled user, and works again once enabled", async () => {
    const { user, browser } = await signedIn();
    const { key } = await newKey(browser, { scopes: ["me:read"] });
    const db = await getDb();
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    await expectJsonError(await script().call(h(me), { path: "/api/me", ...withKey(key) }), 401, "invalid_api_key");
    await db.update(users).set({ disabledAt: null }).where(eq(users.id, user.id));
    expect((await script().call(h(me), { path: "/api/me", ...withKey(key) })).status).toBe(200);
  });

  it("admin scopes stop working the moment the owner stops being an admin; the rest of the key keeps working", async () => {
    const { user: owner, browser } = await signedIn("admin");
    const { key } = await newKey(browser, { scopes: ["me:read", "admin:read", "admin:write"] });
    expect((await adminApi.list(script(), "", withKey(key))).status).toBe(200);
    const db = await getDb();
    await db.update(users).set({ role: "user" }).where(eq(users.id, owner.id));
    await expectJsonError(await adminApi.list(script(), "", withKey(key)), 403, "forbidden");
    await expectJsonError(await adminApi.disable(script(), UNKNOWN_ID, withKey(key)), 403, "forbidden");
    expect(await (await script().call(h(me), { path: "/api/me", ...withKey(key) })).json()).toMatchObject({ user: { role: "user" } });
  });

  it("answers 429 past API_KEY_RATE_LIMIT_PER_MINUTE (600) for that key alone, and again after the minute", async () => {
    const { browser } = await signedIn();
    const busy = await newKey(browser, { name: "busy", scopes: ["me:read"] });
    const quiet = await newKey(browser, { name: "quiet", scopes: ["me:read"] });
    for (let i = 0; i < 600; i++) {
      const response = await script().call(h(me), { path: "/api/me", ...withKey(busy.key) });
      if (response.status !== 200) throw new Error(`request ${i + 1}: ${response.status}`);
    }
    const limited = await script().call(h(me), { path: "/api/me", ...withKey(busy.key) });
    await expectJsonError(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await script().call(h(me), { path: "/api/me", ...withKey(quiet.key) })).status).toBe(200);
    advanceClock(61);
    expect((await script().call(h(me), { path: "/api/me", ...withKey(busy.key) })).status).toBe(200);
  }, 60_000);
});

describe("last used", () => {
  it("is written on first use, then at most once a minute per key (time and IP)", async () => {
    const { browser } = await signedIn();
    const { apiKey, key } = await newKey(browser, { scopes: ["me:read"] });
    const db = await getDb();
    const lastUsed = async () => (await db.select({ at: apiKeys.lastUsedAt, ip: apiKeys.lastUsedIp }).from(apiKeys).where(eq(apiKeys.id, apiKey.id)))[0]!;

    // First use: the read, the rate-limit hit, the UPDATE.
    expect(await databaseCallsDuring(() => script().call(h(me), { path: "/api/me", ...withKey(key) }))).toBe(3);
    const first = await lastUsed();
    expect(first.ip).toBe(SCRIPT_IP);
    expect(first.at).not.toBeNull();

    advanceClock(30);
    expect(await databaseCallsDuring(() => script().call(h(me), { path: "/api/me", ...withKey(key, { "x-doorman-peer-ip": "198.51.100.9" }) }))).toBe(2);
    expect(await lastUsed()).toEqual(first);

    advanceClock(31);
    await script().call(h(me), { path: "/api/me", ...withKey(key, { "x-doorman-peer-ip": "198.51.100.9" }) });
    const later = await lastUsed();
    expect(later.ip).toBe("198.51.100.9");
    expect(later.at!.getTime()).toBeGreaterThan(first.at!.getTime() + 60_000);
    const listed = (await (await browser.call(h(listKeys), { path: "/api/auth/api-keys" })).json()).apiKeys[0];
    // The API answers the contract's shape; the address is shown to people on /account.
    expect(listed).toEqual(expect.objectContaining({ lastUsedAt: later.at!.toISOString() }));
    expect(listed).not.toHaveProperty("lastUsedIp");
  });

  it.runIf(process.env.DOORMAN_TEST_DATABASE === "postgres")("the UPDATE is conditional, so racing requests write once", async () => {
    const { browser } = await signedIn();
    const { key } = await newKey(browser, { scopes: ["me:read"] });
    const sent = await statementsSentDuring(() => script().call(h(me), { path: "/api/me", ...withKey(key) }));
    expect(sent.find((statement) => /^update "api_keys"/.test(statement))).toMatch(/"last_used_at" is null or "api_keys"."last_used_at" <= /);
  });
});

describe("admins and keys", () => {
  it("an admin sees a user's keys (never the key) and revokes one through the admin API; the owner is told", async () => {
    const { browser: adminBrowser } = await signedIn("admin");
    const { user, browser } = await signedIn("user");
    const { apiKey, key } = await newKey(browser, { scopes: ["me:read"] });
    const details = await adminApi.get(adminBrowser, user.id);
    const text = await details.text();
    // Admins see where a key was last used from, as they see sessions' addresses.
    expect(JSON.parse(text).apiKeys).toEqual([{ ...apiKey, lastUsedIp: null }]);
    expect(text).not.toContain(key.slice(10));

    await expectJsonError(await adminApi.revokeApiKey(browser, user.id, apiKey.id), 403, "forbidden");
    await expectJsonError(await adminApi.revokeApiKey(adminBrowser, user.id, UNKNOWN_ID), 404, "not_found");
    expect((await adminApi.revokeApiKey(adminBrowser, user.id, apiKey.id)).status).toBe(204);
    await expectJsonError(await script().call(h(me), { path: "/api/me", ...withKey(key) }), 401, "invalid_api_key");
    const email = await readEmail(user.email);
    expect(email?.kind).toBe("api_key_revoked");
    expect(email?.textBody).toContain("An administrator revoked");

    // The owner's /account activity: both events, the administrator unnamed, their address not shown.
    const activity = await listAccountActivity(user.id);
    expect(activity.slice(0, 2).map(({ type, description, actor, ip }) => ({ type, description, actor, ip }))).toEqual([
      { type: "api_key_revoked", description: "An administrator revoked the API key “deploy script”", actor: null, ip: null },
      { type: "api_key_created", description: "API key “deploy script” created", actor: null, ip: null },
    ]);
  });
});
