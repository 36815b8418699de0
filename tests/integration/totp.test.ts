import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { decodeJwt } from "jose";
import { GET as authorize } from "@/app/api/auth/authorize/route";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as secondFactor } from "@/app/api/auth/login/second-factor/route";
import { POST as newRecoveryCodes } from "@/app/api/auth/recovery-codes/route";
import { POST as token } from "@/app/api/auth/token/route";
import { POST as confirmTotp } from "@/app/api/auth/totp/confirm/route";
import { DELETE as disableTotp, POST as beginTotp } from "@/app/api/auth/totp/route";
import { executeRows, getDb } from "@/db/client";
import { recoveryCodes, securityEvents, sessions, totpFactors } from "@/db/schema";
import { cookieNames, secondFactorCookieName } from "@/lib/auth/edge/cookies";
import { sealIron } from "@/lib/auth/iron-seal";
import { hashRecoveryCode, normaliseRecoveryCode } from "@/lib/auth/second-factor/recovery-codes";
import { decodeBase32, totpCode } from "@/lib/auth/second-factor/totp";
import { SECOND_FACTOR_LIMIT } from "@/lib/auth/second-factor/verify-second-factor";
import { authSecret } from "@/lib/env";
import { createAuthorizationRequest } from "@/lib/client/browser-sign-in";
import { APP, TestClient, type RouteHandler } from "../support/client";
import { advanceClock } from "../support/clock";
import { createUser, loginAs, readEmail } from "../support/fixtures";
import { expectJsonError, setCookieLine } from "../support/http";

// TOTP and recovery codes (docs/decisions/0036) through the real route
// handlers: enrolment, the two-step sign-in, replay, the throttle and step-up.

const h = (handler: unknown) => handler as RouteHandler;
const RECOVERY_CODE_SHAPE = /^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/;

type User = { id: string; email: string; password: string };

const begin = (browser: TestClient) => browser.call(h(beginTotp), { method: "POST", path: "/api/auth/totp" });
const confirm = (browser: TestClient, code: string) => browser.call(h(confirmTotp), { path: "/api/auth/totp/confirm", json: { code } });
const passwordStep = (browser: TestClient, user: User) => browser.call(h(login), { path: "/api/auth/login", json: { email: user.email, password: user.password } });
const codeStep = (browser: TestClient, code: string) => browser.call(h(secondFactor), { path: "/api/auth/login/second-factor", json: { code } });

/** The code the authenticator shows now, or `stepsAhead` steps later (still inside the accepted window at +1). */
const codeFor = (secret: Buffer, stepsAhead = 0) => totpCode(secret, new Date(Date.now() + stepsAhead * 30_000));

/** A user with a confirmed authenticator, set up through the API: its secret and recovery codes. */
async function enrolled(email = "ada@example.com") {
  const user = await createUser(email);
  const browser = await loginAs(user);
  const begun = await begin(browser);
  expect(begun.status).toBe(200);
  const { secret } = await begun.json();
  const key = decodeBase32(secret)!;
  const confirmed = await confirm(browser, codeFor(key));
  expect(confirmed.status).toBe(200);
  const { recoveryCodes: codes } = (await confirmed.json()) as { recoveryCodes: string[] };
  // The next code the test types belongs to a later step than the one the set-up used.
  advanceClock(30);
  return { user, browser, secret: key, recoveryCodes: codes };
}

/** A browser past the password step: it holds the pending cookie. */
async function pendingBrowser(user: User): Promise<TestClient> {
  const browser = new TestClient();
  await expectJsonError(await passwordStep(browser, user), 401, "second_factor_required");
  return browser;
}

/** Another browser holding the very same pending cookie (the same request sent twice at once). */
function twin(browser: TestClient): TestClient {
  const copy = new TestClient();
  for (const [name, value] of browser.cookies) copy.cookies.set(name, value);
  return copy;
}

async function eventsOf(userId: string) {
  const db = await getDb();
  return db.select({ type: securityEvents.type, detail: securityEvents.detail }).from(securityEvents).where(eq(securityEvents.userId, userId));
}

function expectNoSession(browser: TestClient, response: Response): void {
  const names = cookieNames();
  expect(setCookieLine(response, names.access)).toBeUndefined();
  expect(setCookieLine(response, names.refresh)).toBeUndefined();
  expect(browser.cookie(names.access)).toBeUndefined();
}

describe("enrolment", () => {
  it("begins with a secret and an otpauth URI, refuses a wrong code, confirms with the right one and shows ten recovery codes once", async () => {
    const user = await createUser();
    const browser = await loginAs(user);
    const begun = await begin(browser);
    expect(begun.status).toBe(200);
    expect(begun.headers.get("cache-control")).toBe("no-store");
    const { secret, otpauthUri } = await begun.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(otpauthUri);
    expect(uri.searchParams.get("secret")).toBe(secret);
    expect(decodeURIComponent(uri.pathname)).toBe(`/Doorman:${user.email}`);

    const db = await getDb();
    const [factor] = await db.select().from(totpFactors).where(eq(totpFactors.userId, user.id));
    expect(factor!.confirmedAt).toBeNull();
    expect(factor!.secretSealed).not.toContain(secret);
    // Not yet a second factor: the password alone still signs in.
    expect((await passwordStep(new TestClient(), user)).status).toBe(200);

    const key = decodeBase32(secret)!;
    const right = codeFor(key);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");
    await expectJsonError(await confirm(browser, wrong), 400, "invalid_code");
    const confirmed = await confirm(browser, right);
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get("cache-control")).toBe("no-store");
    const { recoveryCodes: codes } = (await confirmed.json()) as { recoveryCodes: string[] };
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(RECOVERY_CODE_SHAPE);
    expect(new Set(codes).size).toBe(10);

    // Stored as SHA-256 of the normalised code, never the code.
    const stored = await executeRows<Record<string, unknown>>(db, sql`select * from recovery_codes where user_id = ${user.id}`);
    expect(stored.map((row) => row.code_hash).sort()).toEqual(codes.map((code) => hashRecoveryCode(normaliseRecoveryCode(code)!)).sort());
    const dump = JSON.stringify(stored).toUpperCase();
    for (const code of codes) expect(dump).not.toContain(normaliseRecoveryCode(code)!);

    expect((await db.select().from(totpFactors).where(eq(totpFactors.userId, user.id)))[0]!.confirmedAt).toBeInstanceOf(Date);
    expect((await eventsOf(user.id)).map((event) => event.type)).toContain("totp_enabled");
    expect((await readEmail(user.email))?.kind).toBe("totp_enabled");
    // Once: a second begin does not replace a confirmed factor, and nothing shows the codes again.
    await expectJsonError(await begin(browser), 409, "totp_already_enabled");
  });

  it("replaces an abandoned set-up with a fresh secret", async () => {
    const user = await createUser();
    const browser = await loginAs(user);
    const first = (await (await begin(browser)).json()).secret;
    const second = (await (await begin(browser)).json()).secret;
    expect(second).not.toBe(first);
    await expectJsonError(await confirm(browser, codeFor(decodeBase32(first)!)), 400, "invalid_code");
    expect((await confirm(browser, codeFor(decodeBase32(second)!))).status).toBe(200);
  });

  it("turns off: the factor and the recovery codes are gone, the password alone signs in again", async () => {
    const { user, browser } = await enrolled();
    const response = await browser.call(h(disableTotp), { method: "DELETE", path: "/api/auth/totp" });
    expect(response.status).toBe(204);
    const db = await getDb();
    expect(await db.select().from(totpFactors).where(eq(totpFactors.userId, user.id))).toEqual([]);
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toEqual([]);
    expect((await eventsOf(user.id)).map((event) => event.type)).toContain("totp_disabled");
    expect((await readEmail(user.email))?.kind).toBe("totp_disabled");
    expect((await passwordStep(new TestClient(), user)).status).toBe(200);
    await expectJsonError(await browser.call(h(disableTotp), { method: "DELETE", path: "/api/auth/totp" }), 409, "totp_not_enabled");
  });

  it("makes new recovery codes that replace the old ones", async () => {
    const { user, browser, recoveryCodes: old } = await enrolled();
    const response = await browser.call(h(newRecoveryCodes), { method: "POST", path: "/api/auth/recovery-codes" });
    expect(response.status).toBe(200);
    const { recoveryCodes: fresh } = (await response.json()) as { recoveryCodes: string[] };
    expect(fresh).toHaveLength(10);
    expect((await eventsOf(user.id)).map((event) => event.type)).toContain("recovery_codes_generated");
    await expectJsonError(await codeStep(await pendingBrowser(user), old[0]!), 400, "invalid_code");
    expect((await codeStep(await pendingBrowser(user), fresh[0]!)).status).toBe(200);
  });
});

describe("step-up on the second-factor routes", () => {
  it("answers 403 reauthentication_required when the session authenticated more than ten minutes ago", async () => {
    const { user, browser } = await enrolled();
    const other = await loginAs(await createUser("grace@example.com"));
    const db = await getDb();
    await db.update(sessions).set({ authenticatedAt: new Date(Date.now() - 11 * 60_000) });
    await expectJsonError(await begin(other), 403, "reauthentication_required");
    await expectJsonError(await confirm(other, "123456"), 403, "reauthentication_required");
    await expectJsonError(await browser.call(h(disableTotp), { method: "DELETE", path: "/api/auth/totp" }), 403, "reauthentication_required");
    await expectJsonError(await browser.call(h(newRecoveryCodes), { method: "POST", path: "/api/auth/recovery-codes" }), 403, "reauthentication_required");
    // Nothing changed.
    expect(await db.select({ userId: totpFactors.userId }).from(totpFactors)).toEqual([{ userId: user.id }]);
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toHaveLength(10);
  });

  it("lets the same calls through inside the window (control)", async () => {
    const other = await loginAs(await createUser("grace@example.com"));
    const db = await getDb();
    await db.update(sessions).set({ authenticatedAt: new Date(Date.now() - 9 * 60_000) });
    expect((await begin(other)).status).toBe(200);
  });
});

describe("the two-step sign-in", () => {
  it("answers the right password with 401 second_factor_required, a sealed short-lived pending cookie and no session", async () => {
    const { user, secret } = await enrolled();
    const browser = new TestClient();
    const response = await passwordStep(browser, user);
    await expectJsonError(response, 401, "second_factor_required");
    expectNoSession(browser, response);
    const line = setCookieLine(response, secondFactorCookieName())!;
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/Secure/i);
    expect(line).toMatch(/SameSite=Lax/i);
    expect(line).toMatch(/Max-Age=300/);
    expect(browser.cookie(secondFactorCookieName())).not.toContain(user.id);
    const db = await getDb();
    expect(await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1); // the set-up's own

    // A wrong password still says only invalid_credentials: the second factor is no hint.
    const stranger = new TestClient();
    const wrong = await stranger.call(h(login), { path: "/api/auth/login", json: { email: user.email, password: "not the password at all" } });
    await expectJsonError(wrong, 401, "invalid_credentials");
    expect(setCookieLine(wrong, secondFactorCookieName())).toBeUndefined();

    const done = await codeStep(browser, codeFor(secret));
    expect(done.status).toBe(200);
    expect((await done.json()).user.email).toBe(user.email);
    const access = decodeJwt(browser.cookie(cookieNames().access)!);
    expect(access.sub).toBe(user.id);
    expect(browser.cookie(cookieNames().refresh)).toBeTruthy();
    expect(browser.cookie(secondFactorCookieName())).toBeUndefined();
    const [session] = await db.select({ twoFactor: sessions.twoFactor }).from(sessions).where(eq(sessions.id, access.sid as string));
    expect(session!.twoFactor).toBe(true);
    const signIns = (await eventsOf(user.id)).filter((event) => event.type === "sign_in");
    expect(signIns.at(-1)!.detail).toEqual({ newDevice: false, secondFactor: "totp" });
  });

  it("refuses a wrong code with second_factor_failed and keeps the pending cookie for another try", async () => {
    const { user, secret } = await enrolled();
    const browser = await pendingBrowser(user);
    const right = codeFor(secret);
    const response = await codeStep(browser, String((Number(right) + 1) % 1_000_000).padStart(6, "0"));
    await expectJsonError(response, 400, "invalid_code");
    expectNoSession(browser, response);
    expect((await eventsOf(user.id)).map((event) => event.type)).toContain("second_factor_failed");
    expect((await codeStep(browser, right)).status).toBe(200);
  });

  it("takes a code once: the same code again is refused, even inside its window", async () => {
    const { user, secret } = await enrolled();
    const code = codeFor(secret);
    expect((await codeStep(await pendingBrowser(user), code)).status).toBe(200);
    await expectJsonError(await codeStep(await pendingBrowser(user), code), 400, "invalid_code");
    // An older step's code, still inside the window, is refused too once a later one was taken.
    const next = codeFor(secret, 1);
    expect((await codeStep(await pendingBrowser(user), next)).status).toBe(200);
    await expectJsonError(await codeStep(await pendingBrowser(user), code), 400, "invalid_code");
  });

  it("takes a code sent twice at the same instant exactly once", async () => {
    const { user, secret } = await enrolled();
    const db = await getDb();
    // The session that set the authenticator up (confirming it made that session two-factor too).
    const before = (await db.select({ id: sessions.id }).from(sessions)).map((row) => row.id);
    const browser = await pendingBrowser(user);
    const code = codeFor(secret);
    const answers = await Promise.all([codeStep(browser, code), codeStep(twin(browser), code), codeStep(twin(browser), code)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400, 400]);
    const opened = (await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.twoFactor, true))).filter((row) => !before.includes(row.id));
    expect(opened).toHaveLength(1);
  });

  it(`checks at most ${SECOND_FACTOR_LIMIT.limit} codes per account in a window, however many arrive at once; the rest get 429 with Retry-After`, async () => {
    const { user, secret } = await enrolled(); // its confirmation was one attempt
    const browser = await pendingBrowser(user);
    const right = codeFor(secret);
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, "0");
    const answers = await Promise.all(Array.from({ length: 30 }, () => codeStep(twin(browser), wrong)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 400)).toHaveLength(SECOND_FACTOR_LIMIT.limit - 1);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30 - (SECOND_FACTOR_LIMIT.limit - 1));
    const limited = answers.find((answer) => answer.status === 429)!;
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await eventsOf(user.id)).filter((event) => event.type === "second_factor_failed")).toHaveLength(SECOND_FACTOR_LIMIT.limit - 1);
    // The right code is refused too while throttled, and taken once the window has passed.
    await expectJsonError(await codeStep(browser, right), 429, "rate_limited");
    advanceClock(SECOND_FACTOR_LIMIT.windowSeconds);
    expect((await codeStep(await pendingBrowser(user), codeFor(secret))).status).toBe(200);
  });

  it("takes a recovery code in any case, with or without dashes, once; the owner is told how many are left", async () => {
    const { user, recoveryCodes: codes } = await enrolled();
    const typed = codes[0]!.toUpperCase().replaceAll("-", " ");
    const browser = await pendingBrowser(user);
    const done = await codeStep(browser, typed);
    expect(done.status).toBe(200);
    const db = await getDb();
    const sid = decodeJwt(browser.cookie(cookieNames().access)!).sid as string;
    expect((await db.select({ twoFactor: sessions.twoFactor }).from(sessions).where(eq(sessions.id, sid)))[0]!.twoFactor).toBe(true);
    const events = await eventsOf(user.id);
    expect(events).toContainEqual({ type: "recovery_code_used", detail: { remaining: 9 } });
    expect(events.filter((event) => event.type === "sign_in").at(-1)!.detail).toEqual({ newDevice: false, secondFactor: "recovery_code" });
    const email = await readEmail(user.email);
    expect(email?.kind).toBe("recovery_code_used");
    expect(email?.textBody).toContain("9 codes are left");

    await expectJsonError(await codeStep(await pendingBrowser(user), codes[0]!), 400, "invalid_code");
    expect((await codeStep(await pendingBrowser(user), codes[1]!.replaceAll("-", ""))).status).toBe(200);
  });

  it("still takes recovery codes when the secret no longer unseals (AUTH_SECRET changed), and no authenticator code", async () => {
    const { user, secret, recoveryCodes: codes } = await enrolled();
    const db = await getDb();
    const foreign = sealIron({ purpose: "totp-secret", secret: secret.toString("base64url") }, "an entirely different secret of enough length", 3600);
    await db.update(totpFactors).set({ secretSealed: foreign }).where(eq(totpFactors.userId, user.id));
    await expectJsonError(await codeStep(await pendingBrowser(user), codeFor(secret)), 400, "invalid_code");
    expect((await codeStep(await pendingBrowser(user), codes[0]!)).status).toBe(200);
  });

  it("uses a recovery code sent twice at the same instant exactly once", async () => {
    const { user, recoveryCodes: codes } = await enrolled();
    const browser = await pendingBrowser(user);
    const answers = await Promise.all([codeStep(browser, codes[0]!), codeStep(twin(browser), codes[0]!), codeStep(twin(browser), codes[0]!)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400, 400]);
    expect((await eventsOf(user.id)).filter((event) => event.type === "recovery_code_used")).toHaveLength(1);
  });

  describe("the pending cookie", () => {
    it("is refused after five minutes", async () => {
      const { user, secret } = await enrolled();
      const browser = await pendingBrowser(user);
      advanceClock(301);
      const response = await codeStep(browser, codeFor(secret));
      await expectJsonError(response, 401, "second_factor_expired");
      expectNoSession(browser, response);
      expect(browser.cookie(secondFactorCookieName())).toBeUndefined();
    });

    it("is refused with one character changed", async () => {
      const { user, secret } = await enrolled();
      const browser = await pendingBrowser(user);
      const sealed = browser.cookie(secondFactorCookieName())!;
      const at = sealed.indexOf("*", 10) + 5;
      browser.cookies.set(secondFactorCookieName(), `${sealed.slice(0, at)}${sealed[at] === "A" ? "B" : "A"}${sealed.slice(at + 1)}`);
      await expectJsonError(await codeStep(browser, codeFor(secret)), 401, "second_factor_expired");
    });

    it("is refused when sealed with another secret, or sealed by us for another purpose", async () => {
      const { user, secret } = await enrolled();
      const claims = { purpose: "second-factor", userId: user.id, sessionKind: "browser", provider: null, expiresAt: Date.now() + 300_000 };
      const forged = new TestClient();
      forged.cookies.set(secondFactorCookieName(), sealIron(claims, "an entirely different secret of enough length", 300));
      await expectJsonError(await codeStep(forged, codeFor(secret)), 401, "second_factor_expired");
      const otherPurpose = new TestClient();
      otherPurpose.cookies.set(secondFactorCookieName(), sealIron({ ...claims, purpose: "sso-flow" }, authSecret(), 300));
      await expectJsonError(await codeStep(otherPurpose, codeFor(secret)), 401, "second_factor_expired");
      // Control: the same claims sealed properly pass.
      const genuine = new TestClient();
      genuine.cookies.set(secondFactorCookieName(), sealIron(claims, authSecret(), 300));
      expect((await codeStep(genuine, codeFor(secret))).status).toBe(200);
    });

    it("is required: without it, even the right code opens nothing", async () => {
      const { secret } = await enrolled();
      const browser = new TestClient();
      const response = await codeStep(browser, codeFor(secret));
      await expectJsonError(response, 401, "second_factor_expired");
      expectNoSession(browser, response);
    });
  });
});

describe("native apps", () => {
  it("refuses the password grant for an account with a second factor, only once the password is proven", async () => {
    const { user } = await enrolled();
    const grant = (password: string) => new TestClient().call(h(token), { path: "/api/auth/token", json: { grant_type: "password", email: user.email, password } });
    await expectJsonError(await grant("not the password at all"), 400, "invalid_grant");
    const refused = await expectJsonError(await grant(user.password), 400, "second_factor_required");
    expect(refused.error.message).toMatch(/authorization_code/);
  });

  it("still grants tokens for a password to an account without one (control)", async () => {
    const user = await createUser();
    const response = await new TestClient().call(h(token), { path: "/api/auth/token", json: { grant_type: "password", email: user.email, password: user.password } });
    expect(response.status).toBe(200);
    expect((await response.json()).access_token).toBeTruthy();
  });

  it("signs in through the browser with two factors: authorize, password, code, back to authorize, a code for the app", async () => {
    const { user, secret } = await enrolled();
    const { url } = await createAuthorizationRequest({ baseUrl: APP, clientId: "com.example.notes", redirectUri: "com.example.notes:/oauth/callback" });
    const authorizePath = `${new URL(url).pathname}${new URL(url).search}`;
    const browser = new TestClient();
    const toLogin = await browser.call(h(authorize), { path: authorizePath });
    expect(toLogin.status).toBe(303);
    const loginUrl = new URL(toLogin.headers.get("location")!, APP);
    expect(loginUrl.pathname).toBe("/login");
    expect(loginUrl.searchParams.get("next")).toBe(authorizePath);

    await expectJsonError(await passwordStep(browser, user), 401, "second_factor_required");
    expect((await codeStep(browser, codeFor(secret))).status).toBe(200);
    const back = await browser.call(h(authorize), { path: loginUrl.searchParams.get("next")! });
    expect(back.status).toBe(303);
    const redirect = new URL(back.headers.get("location")!);
    expect(`${redirect.protocol}${redirect.pathname}`).toBe("com.example.notes:/oauth/callback");
    expect(redirect.searchParams.get("code")).toBeTruthy();
  });
});
