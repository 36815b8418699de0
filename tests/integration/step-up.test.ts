import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { GET as stepUpMethods, POST as reauthenticate } from "@/app/api/auth/reauthenticate/route";
import { POST as createKey } from "@/app/api/auth/api-keys/route";
import { DELETE as deleteKey } from "@/app/api/auth/api-keys/[id]/route";
import { POST as changePassword } from "@/app/api/auth/change-password/route";
import { GET as readSettings, PUT as writeSettings } from "@/app/api/admin/settings/route";
import { DELETE as resetSecondFactors } from "@/app/api/admin/users/[id]/second-factors/route";
import { POST as passkeyStepUpOptions } from "@/app/api/auth/reauthenticate/passkey-options/route";
import { POST as registrationOptions } from "@/app/api/auth/passkeys/registration-options/route";
import { POST as addPasskey } from "@/app/api/auth/passkeys/route";
import { POST as signInOptions } from "@/app/api/auth/passkeys/sign-in-options/route";
import { POST as beginTotp } from "@/app/api/auth/totp/route";
import { POST as confirmTotp } from "@/app/api/auth/totp/confirm/route";
import { getDb } from "@/db/client";
import { decodeBase32, totpCode } from "@/lib/auth/second-factor/totp";
import { apiKeys, passkeys, recoveryCodes, securityEvents, sessions, totpFactors, users } from "@/db/schema";
import { STEP_UP_WINDOW_SECONDS } from "@/lib/auth/step-up/recent-authentication";
import { APP, TestClient, type RouteHandler } from "../support/client";
import { SoftAuthenticator } from "../support/soft-authenticator";
import { adminApi } from "../support/admin-api";
import { advanceClock } from "../support/clock";
import { createUser, loginAs, PASSWORD, readEmail } from "../support/fixtures";
import { CROSS_SITE, expectJsonError } from "../support/http";

// Step-up and the admin second-factor policy (docs/decisions/0036), through
// the route handlers, as a script that skips every page would call them.

const h = (handler: unknown) => handler as RouteHandler;
const NEW_PASSWORD = "a much longer and newer passphrase";

async function sessionIdOf(userId: string): Promise<string> {
  const db = await getDb();
  const rows = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
  if (rows.length !== 1) throw new Error(`expected one session, found ${rows.length}`);
  return rows[0]!.id;
}

/** The session last proved its person `seconds` ago: what an idle tab, or a stolen cookie, looks like. */
async function ageAuthentication(userId: string, seconds = STEP_UP_WINDOW_SECONDS + 60): Promise<void> {
  const db = await getDb();
  await db.update(sessions).set({ authenticatedAt: new Date(Date.now() - seconds * 1000) }).where(eq(sessions.userId, userId));
}

async function authenticatedAt(sessionId: string): Promise<{ authenticatedAt: Date; twoFactor: boolean }> {
  const db = await getDb();
  const [row] = await db.select({ authenticatedAt: sessions.authenticatedAt, twoFactor: sessions.twoFactor }).from(sessions).where(eq(sessions.id, sessionId));
  return row!;
}

/** A second factor on record, as enrolment leaves it; the rows are what the checks read. */
async function giveSecondFactor(userId: string, kind: "totp" | "passkey"): Promise<void> {
  const db = await getDb();
  const now = new Date();
  if (kind === "totp") {
    await db.insert(totpFactors).values({ userId, secretSealed: "sealed", confirmedAt: now, createdAt: now });
    await db.insert(recoveryCodes).values({ id: crypto.randomUUID(), userId, codeHash: "0".repeat(64), createdAt: now });
  } else {
    await db.insert(passkeys).values({
      id: crypto.randomUUID(),
      userId,
      credentialId: crypto.randomUUID(),
      publicKey: "pk",
      transports: ["internal"],
      deviceType: "multiDevice",
      backedUp: true,
      name: "Laptop",
      createdAt: now,
    });
  }
}

const newKey = (browser: TestClient) =>
  browser.call(h(createKey), { path: "/api/auth/api-keys", json: { name: "deploy", scopes: ["me:read"], expiresInDays: 30 } });

describe("the step-up window", () => {
  it("a fresh sign-in opens it: sensitive changes pass at once", async () => {
    const ada = await createUser();
    const browser = await loginAs(ada);
    const methods = await browser.call(h(stepUpMethods), { path: "/api/auth/reauthenticate" });
    expect(methods.status).toBe(200);
    const body = await methods.json();
    expect(body.methods).toEqual({ password: true, totp: false, passkey: false });
    expect(new Date(body.authenticatedUntil).getTime()).toBeGreaterThan(Date.now() + (STEP_UP_WINDOW_SECONDS - 30) * 1000);
    expect((await newKey(browser)).status).toBe(201);
  });

  it("refuses creating and revoking API keys once it has closed, even with every page skipped, and a password reopens it", async () => {
    const ada = await createUser();
    const browser = await loginAs(ada);
    const created = await (await newKey(browser)).json();
    await ageAuthentication(ada.id);

    const methods = await (await browser.call(h(stepUpMethods), { path: "/api/auth/reauthenticate" })).json();
    expect(methods.authenticatedUntil).toBeNull();
    await expectJsonError(await newKey(browser), 403, "reauthentication_required");
    const revoke = () => browser.call(h(deleteKey), { method: "DELETE", path: `/api/auth/api-keys/${created.apiKey.id}`, params: { id: created.apiKey.id } });
    await expectJsonError(await revoke(), 403, "reauthentication_required");
    const db = await getDb();
    expect(await db.select().from(apiKeys).where(eq(apiKeys.userId, ada.id))).toHaveLength(1);

    const wrong = await browser.call(h(reauthenticate), { path: "/api/auth/reauthenticate", json: { password: "not the password at all" } });
    await expectJsonError(wrong, 400, "invalid_credentials");
    await expectJsonError(await newKey(browser), 403, "reauthentication_required");

    const sessionId = await sessionIdOf(ada.id);
    const right = await browser.call(h(reauthenticate), { path: "/api/auth/reauthenticate", json: { password: PASSWORD } });
    expect(right.status).toBe(200);
    const { authenticatedUntil } = await right.json();
    expect(Math.abs(new Date(authenticatedUntil).getTime() - (Date.now() + STEP_UP_WINDOW_SECONDS * 1000))).toBeLessThan(5000);
    expect(Date.now() - (await authenticatedAt(sessionId)).authenticatedAt.getTime()).toBeLessThan(5000);
    expect((await revoke()).status).toBe(204);
    expect((await newKey(browser)).status).toBe(201);

    const events = await db
      .select({ detail: securityEvents.detail, sessionId: securityEvents.sessionId })
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, ada.id), eq(securityEvents.type, "reauthenticated")));
    expect(events).toEqual([{ detail: { method: "password" }, sessionId }]);
  });

  it("a step-up is for its own session only", async () => {
    const ada = await createUser();
    const laptop = await loginAs(ada);
    const phone = await loginAs(ada);
    await ageAuthentication(ada.id);
    expect((await phone.call(h(reauthenticate), { path: "/api/auth/reauthenticate", json: { password: PASSWORD } })).status).toBe(200);
    expect((await newKey(phone)).status).toBe(201);
    await expectJsonError(await newKey(laptop), 403, "reauthentication_required");
  });

  it("refuses a cross-site step-up and malformed bodies without counting a guess", async () => {
    const ada = await createUser();
    const browser = await loginAs(ada);
    await ageAuthentication(ada.id);
    await expectJsonError(
      await browser.call(h(reauthenticate), { path: "/api/auth/reauthenticate", json: { password: PASSWORD }, headers: CROSS_SITE.fetchMetadata }),
      403,
      "cross_site_request",
    );
    for (const body of [{}, { password: "" }, { password: 42 }, { password: "x".repeat(5000) }]) {
      await expectJsonError(await browser.call(h(reauthenticate), { path: "/api/auth/reauthenticate", json: body }), 400, "invalid_request");
    }
    await expectJsonError(await newKey(browser), 403, "reauthentication_required");
  });

  it("takes a guess from the same password throttle as sign-in: thirty at once reach bcrypt at most ten times", async () => {
    const ada = await createUser();
    const browser = await loginAs(ada);
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => browser.call(h(reauthenticate), { path: "/api/auth/reauthenticate", json: { password: "wrong guess number one" } })),
    );
    const statuses = answers.map((response) => response.status);
    expect(statuses.filter((status) => status === 400).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(20);
    await expectJsonError(await browser.call(h(reauthenticate), { path: "/api/auth/reauthenticate", json: { password: PASSWORD } }), 429, "rate_limited");
  });

  it("an account with a second factor cannot step up with its password alone", async () => {
    const ada = await createUser();
    const browser = await loginAs(ada);
    await giveSecondFactor(ada.id, "totp");
    await ageAuthentication(ada.id);
    const methods = await (await browser.call(h(stepUpMethods), { path: "/api/auth/reauthenticate" })).json();
    expect(methods.methods).toEqual({ password: false, totp: true, passkey: false });
    await expectJsonError(
      await browser.call(h(reauthenticate), { path: "/api/auth/reauthenticate", json: { password: PASSWORD } }),
      400,
      "second_factor_required",
    );
    await expectJsonError(await newKey(browser), 403, "reauthentication_required");
  });

  it("an account with no password (a provider's only) is offered none, and a password sent anyway is a wrong one, not a second factor it lacks", async () => {
    const ada = await createUser();
    const browser = await loginAs(ada);
    await (await getDb()).update(users).set({ passwordHash: null }).where(eq(users.id, ada.id));
    await ageAuthentication(ada.id);
    const methods = await (await browser.call(h(stepUpMethods), { path: "/api/auth/reauthenticate" })).json();
    expect(methods.methods).toEqual({ password: false, totp: false, passkey: false });
    await expectJsonError(
      await browser.call(h(reauthenticate), { path: "/api/auth/reauthenticate", json: { password: PASSWORD } }),
      400,
      "invalid_credentials",
    );
    await expectJsonError(await newKey(browser), 403, "reauthentication_required");
  });
});

describe("stepping up with a passkey", () => {
  const RP_ID = new URL(APP).hostname;

  async function withPasskey(browser: TestClient): Promise<SoftAuthenticator> {
    const authenticator = new SoftAuthenticator(RP_ID, APP);
    const { options } = await (await browser.call(h(registrationOptions), { method: "POST", path: "/api/auth/passkeys/registration-options" })).json();
    const added = await browser.call(h(addPasskey), { path: "/api/auth/passkeys", json: { name: "Laptop", response: authenticator.register(options) } });
    expect(added.status, await added.clone().text()).toBe(201);
    return authenticator;
  }

  const askStepUp = async (browser: TestClient) => {
    const asked = await browser.call(h(passkeyStepUpOptions), { method: "POST", path: "/api/auth/reauthenticate/passkey-options" });
    expect(asked.status, await asked.clone().text()).toBe(200);
    return (await asked.json()).options as { challenge: string; allowCredentials: { id: string }[] };
  };

  it("reopens the window with one of the account's own passkeys and marks the session two-factor", async () => {
    const ada = await createUser();
    const browser = await loginAs(ada);
    const authenticator = await withPasskey(browser);
    const sessionId = await sessionIdOf(ada.id);
    expect((await authenticatedAt(sessionId)).twoFactor, "adding the passkey proved it is held").toBe(true);
    // A session from before the passkey, one factor, and old.
    await (await getDb()).update(sessions).set({ twoFactor: false }).where(eq(sessions.id, sessionId));
    await ageAuthentication(ada.id);

    const options = await askStepUp(browser);
    expect(options.allowCredentials.map((credential) => credential.id)).toEqual([authenticator.id]);
    const confirmed = await browser.call(h(reauthenticate), { path: "/api/auth/reauthenticate", json: { passkey: authenticator.authenticate(options) } });
    expect(confirmed.status, await confirmed.clone().text()).toBe(200);
    expect(await authenticatedAt(sessionId)).toMatchObject({ twoFactor: true });
    expect((await newKey(browser)).status).toBe(201);
  });

  it("refuses an assertion for a sign-in ceremony, one replayed, and another account's passkey", async () => {
    const ada = await createUser();
    const browser = await loginAs(ada);
    const authenticator = await withPasskey(browser);
    await ageAuthentication(ada.id);
    const stepUp = (passkey: unknown) => browser.call(h(reauthenticate), { path: "/api/auth/reauthenticate", json: { passkey } });

    // A challenge from the public sign-in ceremony: another purpose, refused.
    const signIn = await browser.call(h(signInOptions), { method: "POST", path: "/api/auth/passkeys/sign-in-options" });
    await expectJsonError(await stepUp(authenticator.authenticate((await signIn.json()).options)), 400, "invalid_passkey");

    const options = await askStepUp(browser);
    const assertion = authenticator.authenticate(options);
    const grace = await loginAs(await createUser("grace@example.com"));
    const graces = await withPasskey(grace);
    await expectJsonError(await stepUp(graces.authenticate(options)), 400, "invalid_passkey");
    // The challenge went with that refusal: even the right passkey cannot use it now.
    await expectJsonError(await stepUp(assertion), 400, "invalid_passkey");
    await expectJsonError(await newKey(browser), 403, "reauthentication_required");
  });
});

describe("stepping up with an authenticator code or a recovery code", () => {
  /** Ada's session, with an authenticator set up through the API: its key and recovery codes. */
  async function withAuthenticator() {
    const ada = await createUser();
    const browser = await loginAs(ada);
    const { secret } = await (await browser.call(h(beginTotp), { method: "POST", path: "/api/auth/totp" })).json();
    const key = decodeBase32(secret)!;
    const confirmed = await browser.call(h(confirmTotp), { path: "/api/auth/totp/confirm", json: { code: totpCode(key, new Date()) } });
    expect(confirmed.status).toBe(200);
    const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
    // Later codes belong to a later step than the one the set-up used.
    advanceClock(30);
    return { ada, browser, key, recoveryCodes };
  }
  const stepUp = (browser: TestClient, body: unknown) => browser.call(h(reauthenticate), { path: "/api/auth/reauthenticate", json: body });

  it("confirming the authenticator made the session two-factor; once old, a code reopens the window, and the same code never twice", async () => {
    const { ada, browser, key } = await withAuthenticator();
    const sessionId = await sessionIdOf(ada.id);
    expect(await authenticatedAt(sessionId)).toMatchObject({ twoFactor: true });
    await ageAuthentication(ada.id);
    await expectJsonError(await newKey(browser), 403, "reauthentication_required");

    const code = totpCode(key, new Date());
    await expectJsonError(await stepUp(browser, { code: code === "000000" ? "111111" : "000000" }), 400, "invalid_code");
    expect((await stepUp(browser, { code })).status).toBe(200);
    expect((await newKey(browser)).status).toBe(201);
    await ageAuthentication(ada.id);
    await expectJsonError(await stepUp(browser, { code }), 400, "invalid_code");

    const db = await getDb();
    const events = await db
      .select({ detail: securityEvents.detail })
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, ada.id), eq(securityEvents.type, "reauthenticated")));
    expect(events.map((event) => event.detail)).toEqual([{ method: "totp" }]);
  });

  it("takes a recovery code once, tells the owner, and shares the sign-in's code throttle", async () => {
    const { ada, browser, recoveryCodes } = await withAuthenticator();
    await ageAuthentication(ada.id);
    expect((await stepUp(browser, { code: recoveryCodes[0] })).status).toBe(200);
    expect((await readEmail(ada.email))?.kind).toBe("recovery_code_used");
    await ageAuthentication(ada.id);
    await expectJsonError(await stepUp(browser, { code: recoveryCodes[0] }), 400, "invalid_code");

    const answers = await Promise.all(Array.from({ length: 20 }, () => stepUp(browser, { code: "123456" })));
    const statuses = answers.map((response) => response.status);
    // Ten per quarter hour in all: the set-up's confirmation, the two above, and seven more.
    expect(statuses.filter((status) => status === 400)).toHaveLength(7);
    expect(statuses.filter((status) => status === 429)).toHaveLength(13);
  });

  it("refuses a body with two proofs, or none", async () => {
    const { browser } = await withAuthenticator();
    await expectJsonError(await stepUp(browser, { code: "123456", password: PASSWORD }), 400, "invalid_request");
    await expectJsonError(await stepUp(browser, {}), 400, "invalid_request");
  });
});

describe("changing the password", () => {
  const change = (browser: TestClient) =>
    browser.call(h(changePassword), { path: "/api/auth/change-password", json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });

  it("without a second factor, the current password is the proof, and it reopens the window", async () => {
    const ada = await createUser();
    const browser = await loginAs(ada);
    await ageAuthentication(ada.id);
    const sessionId = await sessionIdOf(ada.id);
    expect((await change(browser)).status).toBe(200);
    expect(Date.now() - (await authenticatedAt(sessionId)).authenticatedAt.getTime()).toBeLessThan(5000);
  });

  it("with a second factor, an old session must step up with it first", async () => {
    const ada = await createUser();
    const browser = await loginAs(ada);
    await giveSecondFactor(ada.id, "passkey");
    await ageAuthentication(ada.id);
    await expectJsonError(await change(browser), 403, "reauthentication_required");
    // Refused before the password was looked at: it is unchanged.
    await loginAs(ada);
  });
});

describe("admin actions", () => {
  async function adminAndUser() {
    const root = await createUser("root@example.com", { role: "admin" });
    const ada = await createUser("ada@example.com");
    return { root, ada, admin: await loginAs(root) };
  }

  it("want the step-up window for every change, not for reading", async () => {
    const { root, ada, admin } = await adminAndUser();
    await ageAuthentication(root.id);
    expect((await adminApi.list(admin)).status).toBe(200);
    expect((await adminApi.get(admin, ada.id)).status).toBe(200);
    await expectJsonError(await adminApi.disable(admin, ada.id), 403, "reauthentication_required");
    await expectJsonError(await adminApi.endSessions(admin, ada.id), 403, "reauthentication_required");
    await expectJsonError(await adminApi.setRole(admin, ada.id, { role: "admin" }), 403, "reauthentication_required");
    expect((await admin.call(h(reauthenticate), { path: "/api/auth/reauthenticate", json: { password: PASSWORD } })).status).toBe(200);
    expect((await adminApi.disable(admin, ada.id)).status).toBe(200);
  });

  it("reset a user's second factors: all removed, recorded with the admin, the owner emailed; not one's own", async () => {
    const { root, ada, admin } = await adminAndUser();
    await giveSecondFactor(ada.id, "totp");
    await giveSecondFactor(ada.id, "passkey");
    const reset = (id: string, client = admin) =>
      client.call(h(resetSecondFactors), { method: "DELETE", path: `/api/admin/users/${id}/second-factors`, params: { id } });

    const response = await reset(ada.id);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ removed: { totp: true, recoveryCodes: 1, passkeys: 1 } });
    const db = await getDb();
    expect(await db.select().from(totpFactors).where(eq(totpFactors.userId, ada.id))).toEqual([]);
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, ada.id))).toEqual([]);
    expect(await db.select().from(passkeys).where(eq(passkeys.userId, ada.id))).toEqual([]);
    const [event] = await db.select({ detail: securityEvents.detail }).from(securityEvents).where(and(eq(securityEvents.userId, ada.id), eq(securityEvents.type, "second_factors_reset")));
    expect(event?.detail).toEqual({ actorId: root.id, totp: true, recoveryCodes: 1, passkeys: 1 });
    const email = await readEmail(ada.email);
    expect(email?.kind).toBe("second_factors_reset");

    await expectJsonError(await reset(root.id), 409, "own_account");
    const mallory = await loginAs(await createUser("mallory@example.com"));
    await expectJsonError(await reset(ada.id, mallory), 403, "forbidden");
    await ageAuthentication(root.id);
    await expectJsonError(await reset(ada.id), 403, "reauthentication_required");
  });
});

describe("requiring a second factor of admins", () => {
  const put = (client: TestClient, value: unknown) => client.call(h(writeSettings), { method: "PUT", path: "/api/admin/settings", json: { requireAdminSecondFactor: value } });
  const get = (client: TestClient) => client.call(h(readSettings), { path: "/api/admin/settings" });

  async function markTwoFactor(userId: string) {
    const db = await getDb();
    await db.update(sessions).set({ twoFactor: true }).where(eq(sessions.userId, userId));
  }

  it("only an admin in a two-factor session can switch it on, so nobody locks themselves out", async () => {
    const root = await createUser("root@example.com", { role: "admin" });
    const admin = await loginAs(root);
    expect(await (await get(admin)).json()).toEqual({ settings: { requireAdminSecondFactor: false } });
    await expectJsonError(await put(admin, true), 403, "admin_second_factor_required");
    await expectJsonError(await put(admin, "yes"), 400, "invalid_request");
    expect(await (await get(admin)).json()).toEqual({ settings: { requireAdminSecondFactor: false } });

    await giveSecondFactor(root.id, "totp");
    await markTwoFactor(root.id);
    expect((await put(admin, true)).status).toBe(200);
    expect(await (await get(admin)).json()).toEqual({ settings: { requireAdminSecondFactor: true } });
    const db = await getDb();
    const [event] = await db.select({ detail: securityEvents.detail }).from(securityEvents).where(eq(securityEvents.type, "setting_changed"));
    expect(event?.detail).toEqual({ key: "requireAdminSecondFactor", value: true, actorId: root.id });
  });

  it("once on, an admin session without a second factor has no admin rights; a user is unaffected", async () => {
    const root = await createUser("root@example.com", { role: "admin" });
    const grace = await createUser("grace@example.com", { role: "admin" });
    const ada = await createUser("ada@example.com");
    const rootBrowser = await loginAs(root);
    const graceBrowser = await loginAs(grace);
    await giveSecondFactor(root.id, "passkey");
    await markTwoFactor(root.id);
    expect((await put(rootBrowser, true)).status).toBe(200);

    await expectJsonError(await adminApi.list(graceBrowser), 403, "admin_second_factor_required");
    await expectJsonError(await adminApi.disable(graceBrowser, ada.id), 403, "admin_second_factor_required");
    expect((await adminApi.list(rootBrowser)).status).toBe(200);
    // Not an admin: forbidden first, whatever the policy.
    await expectJsonError(await adminApi.list(await loginAs(ada)), 403, "forbidden");

    expect((await put(rootBrowser, false)).status).toBe(200);
    expect((await adminApi.list(graceBrowser)).status).toBe(200);
  });

  it("once on, an admin-scoped API key works only while its owner has a second factor", async () => {
    const root = await createUser("root@example.com", { role: "admin" });
    const grace = await createUser("grace@example.com", { role: "admin" });
    const graceBrowser = await loginAs(grace);
    const created = await graceBrowser.call(h(createKey), { path: "/api/auth/api-keys", json: { name: "ops", scopes: ["admin:read"], expiresInDays: 30 } });
    expect(created.status).toBe(201);
    const { key } = await created.json();
    const script = () => adminApi.list(new TestClient(), "", { headers: { authorization: `Bearer ${key}` } });
    expect((await script()).status).toBe(200);

    const rootBrowser = await loginAs(root);
    await giveSecondFactor(root.id, "totp");
    await markTwoFactor(root.id);
    expect((await put(rootBrowser, true)).status).toBe(200);
    await expectJsonError(await script(), 403, "admin_second_factor_required");
    await giveSecondFactor(grace.id, "passkey");
    expect((await script()).status).toBe(200);
  });
});
