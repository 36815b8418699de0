import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { POST as login } from "@/app/api/auth/login/route";
import { getDb } from "@/db/client";
import { emailOutbox, refreshTokens, securityEvents, sessions, users } from "@/db/schema";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { saveNotificationPreferences } from "@/lib/auth/accounts/notification-preferences";
import { hashToken, unsealRefreshToken } from "@/lib/auth/sessions/refresh-token";
import type { ClientMeta } from "@/lib/http/client-meta";
import { TestClient, type RouteHandler } from "../support/client";
import { PASSWORD, createUser, loginAs, readEmail } from "../support/fixtures";
import { CROSS_SITE, expectJsonError, setCookieLine } from "../support/http";
import { countRows } from "../support/rows";

const h = (handler: unknown) => handler as RouteHandler;
const PATH = "/api/auth/login";

function postLogin(json: unknown, options: { client?: TestClient; headers?: Record<string, string> } = {}) {
  return (options.client ?? new TestClient()).call(h(login), { path: PATH, json, headers: options.headers });
}

async function sessionIdOfRefreshCookie(sealed: string | undefined): Promise<string | null> {
  const raw = unsealRefreshToken(sealed);
  if (!raw) return null;
  const db = await getDb();
  const [row] = await db.select({ sessionId: refreshTokens.sessionId }).from(refreshTokens).where(eq(refreshTokens.tokenHash, hashToken(raw)));
  return row?.sessionId ?? null;
}

describe("POST /api/auth/login", () => {
  it("signs in: sets both cookies and answers with the public user only", async () => {
    const ada = await createUser("ada@example.com", { name: "Ada Lovelace" });
    const browser = new TestClient();
    const response = await postLogin({ email: "ada@example.com", password: PASSWORD }, { client: browser });

    expect(response.status).toBe(200);
    const text = await response.text();
    const body = JSON.parse(text);
    expect(Object.keys(body)).toEqual(["user"]);
    expect(Object.keys(body.user).sort()).toEqual(["email", "emailVerified", "id", "name", "role"]);
    expect(body.user).toEqual({ id: ada.id, email: "ada@example.com", name: "Ada Lovelace", role: "user", emailVerified: true });

    const names = cookieNames();
    const access = browser.cookie(names.access)!;
    const sealed = browser.cookie(names.refresh)!;
    expect(setCookieLine(response, names.access)).toMatch(/HttpOnly/i);
    expect(setCookieLine(response, names.refresh)).toMatch(/HttpOnly/i);
    const raw = unsealRefreshToken(sealed);
    expect(raw).toBeTruthy();

    const db = await getDb();
    const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, ada.id));
    for (const secret of [access, access.split(".")[1]!, sealed, raw!, row!.hash, PASSWORD, "$2"]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/eyJ|token|hash/i);

    const claims = decodeJwt(access);
    expect(claims.sub).toBe(ada.id);
    expect(await sessionIdOfRefreshCookie(sealed)).toBe(claims.sid);
    expect(await countRows(securityEvents, eq(securityEvents.type, "sign_in"))).toBe(1);
  });

  it("accepts the email in any case, width or padding", async () => {
    await createUser("ada@example.com");
    expect((await postLogin({ email: "  ＡＤＡ@Example.com ", password: PASSWORD })).status).toBe(200);
  });

  it("answers an unknown email and a wrong password with the same 401", async () => {
    await createUser("ada@example.com");
    const unknown = await postLogin({ email: "nobody@example.com", password: PASSWORD });
    const wrong = await postLogin({ email: "ada@example.com", password: `${PASSWORD}!` });

    const unknownBody = await expectJsonError(unknown.clone(), 401, "invalid_credentials");
    const wrongBody = await expectJsonError(wrong.clone(), 401, "invalid_credentials");
    expect(wrongBody).toEqual(unknownBody);
    expect(await wrong.text()).toBe(await unknown.text());
    expect(unknown.headers.getSetCookie()).toEqual([]);
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect(await countRows(sessions)).toBe(0);
  });

  it("refuses an unverified account with 403 email_not_verified and no session", async () => {
    const ada = await createUser("ada@example.com");
    const db = await getDb();
    await db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, ada.id));

    const response = await postLogin({ email: ada.email, password: PASSWORD });
    await expectJsonError(response, 403, "email_not_verified");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await countRows(sessions)).toBe(0);
  });

  it("tells an unverified account's owner nothing without the right password", async () => {
    const ada = await createUser("ada@example.com");
    const db = await getDb();
    await db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, ada.id));
    const wrong = await postLogin({ email: ada.email, password: `${PASSWORD}!` });
    const unknown = await postLogin({ email: "nobody@example.com", password: PASSWORD });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toBe(await unknown.text());
  });

  it("refuses a disabled account with the same 401 as a wrong password", async () => {
    const ada = await createUser("ada@example.com");
    const db = await getDb();
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, ada.id));
    const disabled = await postLogin({ email: ada.email, password: PASSWORD });
    const unknown = await postLogin({ email: "nobody@example.com", password: PASSWORD });
    expect(disabled.status).toBe(401);
    expect(await disabled.text()).toBe(await unknown.text());
  });

  it("does not adopt a refresh cookie planted before login: a new session family starts", async () => {
    const mallory = await createUser("mallory@example.com", { name: "Mallory" });
    const ada = await createUser("ada@example.com");
    const attacker = await loginAs(mallory);
    const names = cookieNames();
    const planted = attacker.cookie(names.refresh)!;
    const plantedSession = await sessionIdOfRefreshCookie(planted);
    expect(plantedSession).toBeTruthy();

    const victim = new TestClient();
    victim.cookies.set(names.refresh, planted);
    const response = await postLogin({ email: ada.email, password: PASSWORD }, { client: victim });
    expect(response.status).toBe(200);

    const issued = victim.cookie(names.refresh)!;
    expect(issued).not.toBe(planted);
    const victimSession = await sessionIdOfRefreshCookie(issued);
    expect(victimSession).not.toBe(plantedSession);
    expect(decodeJwt(victim.cookie(names.access)!)).toMatchObject({ sub: ada.id, sid: victimSession });

    const db = await getDb();
    const [row] = await db.select({ userId: sessions.userId }).from(sessions).where(eq(sessions.id, victimSession!));
    expect(row?.userId).toBe(ada.id);
    expect(await countRows(sessions, eq(sessions.userId, ada.id))).toBe(1);
  });

  it("starts a new session family at every login", async () => {
    const ada = await createUser("ada@example.com");
    const first = await loginAs(ada);
    const second = await loginAs(ada);
    const names = cookieNames();
    expect(decodeJwt(first.cookie(names.access)!).sid).not.toBe(decodeJwt(second.cookie(names.access)!).sid);
    expect(await countRows(sessions, eq(sessions.userId, ada.id))).toBe(2);
  });

  it.each([
    ["Sec-Fetch-Site: cross-site", CROSS_SITE.fetchMetadata],
    ["a foreign Origin", CROSS_SITE.foreignOrigin],
    ["Origin: null", CROSS_SITE.nullOrigin],
  ])("refuses a cross-site login (login CSRF) with %s", async (_name, headers) => {
    const ada = await createUser("ada@example.com");
    const response = await postLogin({ email: ada.email, password: PASSWORD }, { headers });
    await expectJsonError(response, 403, "cross_site_request");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await countRows(sessions)).toBe(0);
  });

  it("answers bad input with 400 and field errors, never 500", async () => {
    const response = await postLogin({ email: 42, password: "" });
    const body = await expectJsonError(response, 400, "invalid_request");
    expect(Object.keys(body.error.fields ?? {}).sort()).toEqual(["email", "password"]);
  });
});

describe("new-device notice", () => {
  const signInWith = (email: string, userAgent: string) =>
    new TestClient().call(h(login), { path: "/api/auth/login", json: { email, password: PASSWORD }, headers: { "user-agent": userAgent } });
  const MAC_CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
  const IPHONE_SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
  const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
  const NO_META: ClientMeta = { ip: null, userAgent: null };

  async function notices(to: string) {
    const db = await getDb();
    return db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.kind, "new_device_sign_in")));
  }

  it("emails the owner when an unseen kind of device signs in, and not for a known one or the first sign-in", async () => {
    const user = await createUser("ada@example.com");
    expect((await signInWith(user.email, MAC_CHROME)).status).toBe(200);
    expect(await notices(user.email)).toHaveLength(0);
    expect((await signInWith(user.email, MAC_CHROME.replace("126.0", "127.0"))).status).toBe(200);
    expect(await notices(user.email)).toHaveLength(0);
    expect((await signInWith(user.email, IPHONE_SAFARI)).status).toBe(200);
    const [notice] = await notices(user.email);
    expect(notice!.subject).toBe("New sign-in: Safari on iPhone");
    expect((await readEmail(user.email))!.textBody).toContain("http://localhost:3000/account");
  });

  it("honours the owner's choice on /settings/notifications: no email when off, the sign-in still recorded as a new device", async () => {
    const user = await createUser("ada@example.com");
    expect((await signInWith(user.email, MAC_CHROME)).status).toBe(200);
    await saveNotificationPreferences({ userId: user.id, sessionId: crypto.randomUUID(), preferences: { newDeviceSignIn: false } }, NO_META);

    expect((await signInWith(user.email, IPHONE_SAFARI)).status).toBe(200);
    expect(await notices(user.email)).toHaveLength(0);
    const db = await getDb();
    const signIns = await db.select({ detail: securityEvents.detail }).from(securityEvents).where(eq(securityEvents.type, "sign_in")).orderBy(securityEvents.createdAt);
    expect(signIns.map((event) => event.detail)).toEqual([{ newDevice: false }, { newDevice: true }]);

    // Turned on again, the next unseen device is news again.
    await saveNotificationPreferences({ userId: user.id, sessionId: crypto.randomUUID(), preferences: { newDeviceSignIn: true } }, NO_META);
    expect((await signInWith(user.email, FIREFOX_WINDOWS)).status).toBe(200);
    const [notice] = await notices(user.email);
    expect(notice!.subject).toBe("New sign-in: Firefox on Windows");
    expect((await readEmail(user.email))!.textBody).toContain("http://localhost:3000/settings/notifications");
  });
});
