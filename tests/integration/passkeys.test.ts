import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { POST as registrationOptions } from "@/app/api/auth/passkeys/registration-options/route";
import { GET as listPasskeys, POST as addPasskey } from "@/app/api/auth/passkeys/route";
import { DELETE as removePasskey, PATCH as renamePasskey } from "@/app/api/auth/passkeys/[id]/route";
import { POST as signInOptions } from "@/app/api/auth/passkeys/sign-in-options/route";
import { POST as passkeySignIn } from "@/app/api/auth/passkeys/sign-in/route";
import { GET as me } from "@/app/api/me/route";
import { getDb } from "@/db/client";
import { passkeys, securityEvents, sessions, users, webauthnChallenges } from "@/db/schema";
import { cookieNames, webauthnCookieName } from "@/lib/auth/edge/cookies";
import { sealIron, unsealIron } from "@/lib/auth/iron-seal";
import { authSecret } from "@/lib/env";
import { startPasskeyAssertion, verifyPasskeyAssertion } from "@/lib/auth/passkeys/verify-assertion";
import { APP, TestClient, type RouteHandler } from "../support/client";
import { advanceClock } from "../support/clock";
import { createUser, loginAs, readEmail } from "../support/fixtures";
import { expectJsonError } from "../support/http";
import { SoftAuthenticator } from "../support/soft-authenticator";

// Passkeys (lib/auth/passkeys/), driven through the real route handlers by a
// software authenticator that can break each thing the server must check.

const h = (handler: unknown) => handler as RouteHandler;
const RP_ID = new URL(APP).hostname;
type Options = { challenge: string; user: { id: string } };

async function askRegistration(browser: TestClient): Promise<Response> {
  return browser.call(h(registrationOptions), { method: "POST", path: "/api/auth/passkeys/registration-options" });
}

async function register(browser: TestClient, authenticator = new SoftAuthenticator(RP_ID, APP), name = "Laptop") {
  const asked = await askRegistration(browser);
  expect(asked.status, await asked.clone().text()).toBe(200);
  const { options } = (await asked.json()) as { options: Options };
  const response = await browser.call(h(addPasskey), { path: "/api/auth/passkeys", json: { name, response: authenticator.register(options) } });
  expect(response.status, await response.clone().text()).toBe(201);
  const { passkey } = (await response.json()) as { passkey: { id: string; name: string } };
  return { authenticator, passkey };
}

async function askSignIn(client: TestClient): Promise<Options> {
  const response = await client.call(h(signInOptions), { method: "POST", path: "/api/auth/passkeys/sign-in-options" });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { options: Options }).options;
}

function postAssertion(client: TestClient, response: unknown): Promise<Response> {
  return client.call(h(passkeySignIn), { path: "/api/auth/passkeys/sign-in", json: { response } });
}

/** A user with one passkey, and a fresh browser (no cookies) to sign in from. */
async function userWithPasskey() {
  const user = await createUser();
  const browser = await loginAs(user);
  const { authenticator, passkey } = await register(browser);
  return { user, browser, authenticator, passkey, visitor: new TestClient() };
}

const ceremonyOf = (client: TestClient) => unsealIron(client.cookie(webauthnCookieName())!, authSecret()) as { ceremony: string; challengeId: string };

async function setAuthenticatedAgo(userId: string, seconds: number): Promise<void> {
  const db = await getDb();
  await db.update(sessions).set({ authenticatedAt: new Date(Date.now() - seconds * 1000) }).where(eq(sessions.userId, userId));
}

describe("registering a passkey", () => {
  it("offers a discoverable credential, excludes the user's own, and keeps the passkey with an event and an email", async () => {
    const user = await createUser();
    const browser = await loginAs(user);
    const { authenticator, passkey } = await register(browser, undefined, "  Work laptop  ");
    expect(passkey.name).toBe("Work laptop");

    const asked = await askRegistration(browser);
    const { options } = await asked.json();
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    expect(options.attestation).toBe("none");
    expect(options.rp).toEqual({ id: RP_ID, name: "Doorman" });
    expect(Buffer.from(options.user.id, "base64url").toString("hex")).toBe(user.id.replaceAll("-", ""));
    expect(options.excludeCredentials.map((credential: { id: string }) => credential.id)).toEqual([authenticator.id]);

    const listed = await (await browser.call(h(listPasskeys), { path: "/api/auth/passkeys" })).json();
    expect(listed.passkeys).toEqual([
      { id: passkey.id, name: "Work laptop", createdAt: expect.any(String), lastUsedAt: null, deviceType: "multiDevice", backedUp: true },
    ]);
    const db = await getDb();
    const [event] = await db.select().from(securityEvents).where(eq(securityEvents.type, "passkey_added"));
    expect(event?.detail).toMatchObject({ passkeyId: passkey.id, name: "Work laptop" });
    expect((await readEmail(user.email))?.subject).toBe("A passkey was added to your account");
  });

  it("names a passkey left unnamed “Passkey”, and refuses a name over 64 characters", async () => {
    const user = await createUser();
    const browser = await loginAs(user);
    expect((await register(browser, undefined, "   ")).passkey.name).toBe("Passkey");
    const { options } = await (await askRegistration(browser)).json();
    const long = await browser.call(h(addPasskey), { path: "/api/auth/passkeys", json: { name: "x".repeat(65), response: new SoftAuthenticator(RP_ID, APP).register(options) } });
    expect((await expectJsonError(long, 400, "invalid_request")).error.fields).toHaveProperty("name");
  });

  it("refuses a ceremony started by another session of the same user", async () => {
    const user = await createUser();
    const first = await loginAs(user);
    const second = await loginAs(user);
    const { options } = await (await askRegistration(first)).json();
    second.cookies.set(webauthnCookieName(), first.cookie(webauthnCookieName())!);
    const response = await second.call(h(addPasskey), { path: "/api/auth/passkeys", json: { name: "x", response: new SoftAuthenticator(RP_ID, APP).register(options) } });
    await expectJsonError(response, 400, "invalid_passkey");
  });

  it("refuses a registration signed for another origin, or with a garbage attestation (400, never 500)", async () => {
    const user = await createUser();
    const browser = await loginAs(user);
    const { options } = await (await askRegistration(browser)).json();
    const wrongOrigin = new SoftAuthenticator(RP_ID, "https://evil.example").register(options);
    await expectJsonError(await browser.call(h(addPasskey), { path: "/api/auth/passkeys", json: { response: wrongOrigin } }), 400, "invalid_passkey");
    const again = (await (await askRegistration(browser)).json()).options;
    const garbage = new SoftAuthenticator(RP_ID, APP).register(again);
    garbage.response.attestationObject = Buffer.from("not cbor").toString("base64url");
    await expectJsonError(await browser.call(h(addPasskey), { path: "/api/auth/passkeys", json: { response: garbage } }), 400, "invalid_passkey");
    expect(await (await getDb()).select().from(passkeys)).toEqual([]);
  });

  it("refuses an authenticator that did not verify its user: it could never sign in", async () => {
    const browser = await loginAs(await createUser());
    const { options } = await (await askRegistration(browser)).json();
    const unverified = new SoftAuthenticator(RP_ID, APP).register(options, { userVerified: false });
    await expectJsonError(await browser.call(h(addPasskey), { path: "/api/auth/passkeys", json: { response: unverified } }), 400, "invalid_passkey");
    expect(await (await getDb()).select().from(passkeys)).toEqual([]);
  });
});

describe("signing in with a passkey", () => {
  it("opens a two-factor session, sets the session cookies and records how", async () => {
    const { user, authenticator, passkey, visitor } = await userWithPasskey();
    const options = await askSignIn(visitor);
    expect(options).not.toHaveProperty("allowCredentials");
    expect((options as { userVerification?: string }).userVerification).toBe("required");
    const response = await postAssertion(visitor, authenticator.authenticate(options));
    expect(response.status, await response.clone().text()).toBe(200);
    expect((await response.json()).user).toMatchObject({ id: user.id, email: user.email });
    expect(visitor.cookie(cookieNames().refresh)).toBeDefined();
    expect(visitor.cookie(webauthnCookieName())).toBeUndefined();
    expect((await visitor.call(h(me), { path: "/api/me" })).status).toBe(200);

    const db = await getDb();
    const [session] = await db.select().from(sessions).where(eq(sessions.userId, user.id)).orderBy(sql`created_at desc`).limit(1);
    expect(session?.twoFactor).toBe(true);
    const [event] = await db.select().from(securityEvents).where(and(eq(securityEvents.type, "sign_in"), eq(securityEvents.sessionId, session!.id)));
    expect(event?.detail).toMatchObject({ method: "passkey", passkeyId: passkey.id });
    const [stored] = await db.select().from(passkeys).where(eq(passkeys.id, passkey.id));
    expect(stored).toMatchObject({ counter: 1, lastUsedAt: expect.any(Date) });
  });

  it("refuses the same assertion replayed: the challenge is single-use", async () => {
    const { authenticator, visitor } = await userWithPasskey();
    const options = await askSignIn(visitor);
    const assertion = authenticator.authenticate(options);
    const cookie = visitor.cookie(webauthnCookieName())!;
    expect((await postAssertion(visitor, assertion)).status).toBe(200);
    const replayer = new TestClient();
    replayer.cookies.set(webauthnCookieName(), cookie);
    await expectJsonError(await postAssertion(replayer, assertion), 400, "invalid_passkey");
  });

  it("lets exactly one of two concurrent verifications of one challenge succeed", async () => {
    const { authenticator, visitor } = await userWithPasskey();
    const options = await askSignIn(visitor);
    const assertion = authenticator.authenticate(options);
    const statuses = (await Promise.all([postAssertion(visitor, assertion), postAssertion(visitor, assertion)])).map((response) => response.status);
    expect(statuses.sort()).toEqual([200, 400]);
  });

  it("refuses an expired challenge", async () => {
    const { authenticator, visitor } = await userWithPasskey();
    const options = await askSignIn(visitor);
    const { challengeId } = ceremonyOf(visitor);
    // The cookie outlives nothing here: it is resealed to isolate the row's own expiry.
    advanceClock(301);
    visitor.cookies.set(webauthnCookieName(), sealIron({ purpose: "webauthn", ceremony: "sign_in", challengeId }, authSecret(), 600));
    await expectJsonError(await postAssertion(visitor, authenticator.authenticate(options)), 400, "invalid_passkey");
  });

  it("refuses a challenge from another ceremony, even under a cookie forged to name it", async () => {
    const { browser, authenticator, visitor } = await userWithPasskey();
    const { options } = await (await askRegistration(browser)).json();
    // The registration's own cookie, presented to sign-in: wrong purpose.
    visitor.cookies.set(webauthnCookieName(), browser.cookie(webauthnCookieName())!);
    await expectJsonError(await postAssertion(visitor, authenticator.authenticate(options)), 400, "invalid_passkey");
    // A cookie sealed as sign-in around the registration challenge's id: the row's purpose still says register.
    visitor.cookies.set(webauthnCookieName(), sealIron({ purpose: "webauthn", ceremony: "sign_in", challengeId: ceremonyOf(browser).challengeId }, authSecret(), 300));
    await expectJsonError(await postAssertion(visitor, authenticator.authenticate(options)), 400, "invalid_passkey");
  });

  it("refuses a missing or tampered ceremony cookie, and leaves the challenge for its browser", async () => {
    const { authenticator, visitor } = await userWithPasskey();
    const options = await askSignIn(visitor);
    const cookie = visitor.cookie(webauthnCookieName())!;
    const stranger = new TestClient();
    await expectJsonError(await postAssertion(stranger, authenticator.authenticate(options)), 400, "invalid_passkey");
    stranger.cookies.set(webauthnCookieName(), cookie.slice(0, 20) + (cookie[20] === "A" ? "B" : "A") + cookie.slice(21));
    await expectJsonError(await postAssertion(stranger, authenticator.authenticate(options)), 400, "invalid_passkey");
    expect((await postAssertion(visitor, authenticator.authenticate(options))).status).toBe(200);
  });

  it.each([
    ["another origin", { origin: "https://evil.example" }],
    ["another RP ID", { rpId: "evil.example" }],
    ["no user verification", { userVerified: false }],
    ["a challenge it was not given", { challenge: Buffer.alloc(32, 7).toString("base64url") }],
  ])("refuses an assertion with %s", async (_name, overrides) => {
    const { authenticator, visitor } = await userWithPasskey();
    const options = await askSignIn(visitor);
    await expectJsonError(await postAssertion(visitor, authenticator.authenticate(options, overrides)), 400, "invalid_passkey");
    expect(visitor.cookie(cookieNames().refresh)).toBeUndefined();
  });

  it("answers an unknown credential 400 invalid_passkey", async () => {
    await userWithPasskey();
    const visitor = new TestClient();
    const options = await askSignIn(visitor);
    await expectJsonError(await postAssertion(visitor, new SoftAuthenticator(RP_ID, APP).authenticate(options)), 400, "invalid_passkey");
  });

  it("refuses a counter that did not move forward (a cloned authenticator)", async () => {
    const { authenticator, visitor } = await userWithPasskey();
    expect((await postAssertion(visitor, authenticator.authenticate(await askSignIn(visitor), { counter: 5 }))).status).toBe(200);
    const clone = new TestClient();
    await expectJsonError(await postAssertion(clone, authenticator.authenticate(await askSignIn(clone), { counter: 5 })), 400, "invalid_passkey");
    await expectJsonError(await postAssertion(clone, authenticator.authenticate(await askSignIn(clone), { counter: 3 })), 400, "invalid_passkey");
    expect((await postAssertion(clone, authenticator.authenticate(await askSignIn(clone), { counter: 6 }))).status).toBe(200);
  });

  it("refuses a disabled account", async () => {
    const { user, authenticator, visitor } = await userWithPasskey();
    await (await getDb()).update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    await expectJsonError(await postAssertion(visitor, authenticator.authenticate(await askSignIn(visitor))), 400, "invalid_passkey");
    expect(visitor.cookie(cookieNames().refresh)).toBeUndefined();
  });

  it("answers malformed bodies 400, never 500", async () => {
    const visitor = new TestClient();
    const options = await askSignIn(visitor);
    const valid = new SoftAuthenticator(RP_ID, APP).authenticate(options);
    for (const response of [
      "x",
      null,
      {},
      { ...valid, id: "not base64url!" },
      { ...valid, type: "password" },
      { ...valid, response: { ...valid.response, signature: 7 } },
      { ...valid, response: { ...valid.response, authenticatorData: "A".repeat(5000) } },
    ]) {
      await expectJsonError(await postAssertion(visitor, response), 400, "invalid_request");
    }
    // Well formed but meaningless bytes reach the verification, which refuses them.
    const junk = { ...valid, response: { ...valid.response, authenticatorData: "AAAA", clientDataJSON: "AAAA" } };
    await expectJsonError(await postAssertion(visitor, junk), 400, "invalid_passkey");
  });

  it("stores the challenge server-side, bound to its purpose, and deletes it when used", async () => {
    const { authenticator, visitor } = await userWithPasskey();
    const options = await askSignIn(visitor);
    const db = await getDb();
    const [row] = await db.select().from(webauthnChallenges).where(eq(webauthnChallenges.id, ceremonyOf(visitor).challengeId));
    expect(row).toMatchObject({ challenge: options.challenge, purpose: "sign_in", userId: null });
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(300_000);
    await postAssertion(visitor, authenticator.authenticate(options));
    expect(await db.select().from(webauthnChallenges).where(eq(webauthnChallenges.id, row!.id))).toEqual([]);
  });
});

describe("managing passkeys", () => {
  it("renames and removes one's own passkey; removal records an event and emails", async () => {
    const { user, browser, passkey } = await userWithPasskey();
    const renamed = await browser.call(h(renamePasskey), { method: "PATCH", path: `/api/auth/passkeys/${passkey.id}`, params: { id: passkey.id }, json: { name: "Phone" } });
    expect((await renamed.json()).passkey.name).toBe("Phone");
    const removed = await browser.call(h(removePasskey), { method: "DELETE", path: `/api/auth/passkeys/${passkey.id}`, params: { id: passkey.id } });
    expect(removed.status).toBe(204);
    expect((await (await browser.call(h(listPasskeys), { path: "/api/auth/passkeys" })).json()).passkeys).toEqual([]);
    const [event] = await (await getDb()).select().from(securityEvents).where(eq(securityEvents.type, "passkey_removed"));
    expect(event?.detail).toMatchObject({ passkeyId: passkey.id, name: "Phone" });
    expect((await readEmail(user.email))?.subject).toBe("A passkey was removed from your account");
  });

  it("answers 404 for another user's passkey, renaming or removing, and leaves it", async () => {
    const { passkey } = await userWithPasskey();
    const other = await loginAs(await createUser("grace@example.com"));
    const params = { id: passkey.id };
    await expectJsonError(await other.call(h(renamePasskey), { method: "PATCH", path: `/api/auth/passkeys/${passkey.id}`, params, json: { name: "Mine" } }), 404, "not_found");
    await expectJsonError(await other.call(h(removePasskey), { method: "DELETE", path: `/api/auth/passkeys/${passkey.id}`, params }), 404, "not_found");
    const [stored] = await (await getDb()).select().from(passkeys).where(eq(passkeys.id, passkey.id));
    expect(stored?.name).toBe("Laptop");
  });

  it("lets a user hold several passkeys and sign in with each", async () => {
    const { browser, authenticator } = await userWithPasskey();
    const second = (await register(browser, new SoftAuthenticator(RP_ID, APP, false), "Security key")).authenticator;
    const listed = (await (await browser.call(h(listPasskeys), { path: "/api/auth/passkeys" })).json()).passkeys;
    expect(listed.map((passkey: { name: string; deviceType: string }) => [passkey.name, passkey.deviceType])).toEqual([
      ["Laptop", "multiDevice"],
      ["Security key", "singleDevice"],
    ]);
    for (const each of [authenticator, second]) {
      const visitor = new TestClient();
      expect((await postAssertion(visitor, each.authenticate(await askSignIn(visitor)))).status).toBe(200);
    }
  });

  it("requires a recent authentication to start a registration or remove a passkey, not to rename one", async () => {
    const { user, browser, passkey } = await userWithPasskey();
    await setAuthenticatedAgo(user.id, 11 * 60);
    await expectJsonError(await askRegistration(browser), 403, "reauthentication_required");
    const params = { id: passkey.id };
    await expectJsonError(await browser.call(h(removePasskey), { method: "DELETE", path: `/api/auth/passkeys/${passkey.id}`, params }), 403, "reauthentication_required");
    expect((await browser.call(h(renamePasskey), { method: "PATCH", path: `/api/auth/passkeys/${passkey.id}`, params, json: { name: "Still mine" } })).status).toBe(200);
    await setAuthenticatedAgo(user.id, 9 * 60);
    expect((await askRegistration(browser)).status).toBe(200);
  });
});

describe("verifying a passkey for a step-up (verifyPasskeyAssertion, purpose reauthenticate)", () => {
  async function sessionOf(userId: string): Promise<string> {
    const [session] = await (await getDb()).select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId)).orderBy(sql`created_at desc`).limit(1);
    return session!.id;
  }

  it("accepts the user's own passkey for a challenge bound to them and this session, and names it", async () => {
    const { user, authenticator, passkey } = await userWithPasskey();
    const db = await getDb();
    const sessionId = await sessionOf(user.id);
    const now = new Date();
    const { options, challengeId } = await startPasskeyAssertion(db, { purpose: "reauthenticate", userId: user.id, sessionId, now });
    expect(options.allowCredentials?.map((credential) => credential.id)).toEqual([authenticator.id]);
    const verified = await verifyPasskeyAssertion(db, { purpose: "reauthenticate", challengeId, response: authenticator.authenticate(options), userId: user.id, sessionId, now });
    expect(verified).toEqual({ userId: user.id, passkeyId: passkey.id });
  });

  it("refuses a challenge bound to another session, and another user's passkey", async () => {
    const { user, authenticator } = await userWithPasskey();
    const other = await createUser("grace@example.com");
    await loginAs(other);
    const db = await getDb();
    const sessionId = await sessionOf(user.id);
    const now = new Date();
    const mine = await startPasskeyAssertion(db, { purpose: "reauthenticate", userId: user.id, sessionId, now });
    await expect(
      verifyPasskeyAssertion(db, { purpose: "reauthenticate", challengeId: mine.challengeId, response: authenticator.authenticate(mine.options), userId: user.id, sessionId: crypto.randomUUID(), now }),
    ).rejects.toMatchObject({ code: "invalid_passkey" });
    const theirs = await startPasskeyAssertion(db, { purpose: "reauthenticate", userId: other.id, sessionId: await sessionOf(other.id), now });
    await expect(
      verifyPasskeyAssertion(db, { purpose: "reauthenticate", challengeId: theirs.challengeId, response: authenticator.authenticate(theirs.options), userId: other.id, sessionId: await sessionOf(other.id), now }),
    ).rejects.toMatchObject({ code: "invalid_passkey" });
  });
});
