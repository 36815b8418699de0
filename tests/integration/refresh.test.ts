import { describe, expect, it, vi } from "vitest";
import { and, eq, isNull } from "drizzle-orm";
import { decodeJwt } from "jose";
import { refresh } from "../support/node-route";
import { GET as me } from "@/app/api/me/route";
import { getDb } from "@/db/client";
import { refreshTokens, securityEvents, sessions } from "@/db/schema";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { generateAuthSecret } from "@/lib/auth/generate-secrets";
import { hashToken, sealRefreshToken, unsealRefreshToken } from "@/lib/auth/sessions/refresh-token";
import { env, resetEnvCache } from "@/lib/env";
import { PEER_IP_HEADER } from "@/lib/http/client-meta";
import { TestClient, type RouteHandler } from "../support/client";
import { createUser, loginAs } from "../support/fixtures";
import { advanceClock } from "../support/clock";
import { CROSS_SITE, expectJsonError, expectSessionCookiesCleared, refreshTokenSetBy } from "../support/http";
import { countRows } from "../support/rows";
import { raceBehindRowLock } from "../support/row-lock";

const h = (handler: unknown) => handler as RouteHandler;
const PATH = "/api/auth/refresh";
const DAY = 24 * 60 * 60;

/** A refresh call carrying exactly this refresh cookie, from a fresh client. */
function refreshWith(sealed: string, headers: Record<string, string> = {}) {
  return new TestClient().call(h(refresh), { path: PATH, body: "", headers: { cookie: `${cookieNames().refresh}=${sealed}`, ...headers } });
}

async function signedIn() {
  const user = await createUser("ada@example.com");
  const browser = await loginAs(user);
  const names = cookieNames();
  const sessionId = decodeJwt(browser.cookie(names.access)!).sid as string;
  return { user, browser, sessionId, names };
}

describe("POST /api/auth/refresh", () => {
  it("rotates both cookies and answers with the new access token's expiry", async () => {
    const { browser, names, sessionId } = await signedIn();
    const before = { access: browser.cookie(names.access)!, refresh: browser.cookie(names.refresh)! };

    const response = await browser.call(h(refresh), { path: PATH, body: "" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(Object.keys(body)).toEqual(["expiresAt"]);
    expect(new Date(body.expiresAt).getTime()).toBe((decodeJwt(browser.cookie(names.access)!).exp as number) * 1000);

    expect(browser.cookie(names.access)).not.toBe(before.access);
    expect(browser.cookie(names.refresh)).not.toBe(before.refresh);
    const oldRaw = unsealRefreshToken(before.refresh);
    const newRaw = unsealRefreshToken(browser.cookie(names.refresh));
    expect(newRaw).not.toBe(oldRaw);
    expect(decodeJwt(browser.cookie(names.access)!).sid).toBe(sessionId);

    const db = await getDb();
    const [old] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashToken(oldRaw!)));
    expect(old?.rotatedAt).toBeInstanceOf(Date);
    // Only hashes are stored.
    const stored = await db.select({ hash: refreshTokens.tokenHash }).from(refreshTokens);
    expect(stored.map((r) => r.hash)).not.toContain(newRaw);
  });

  it("revokes the whole family and records a security event when a rotated token is replayed after the grace window", async () => {
    const { user, browser, sessionId, names } = await signedIn();
    const stolen = browser.cookie(names.refresh)!;
    // The legitimate client used the successor (it rotated again): no lost answer can explain the replay.
    expect((await browser.call(h(refresh), { path: PATH, body: "" })).status).toBe(200);
    expect((await browser.call(h(refresh), { path: PATH, body: "" })).status).toBe(200);

    advanceClock(env().REFRESH_REUSE_GRACE_SECONDS + 1);
    const replay = await refreshWith(stolen, { "user-agent": "Mallory/1.0", [PEER_IP_HEADER]: "203.0.113.9" });
    await expectJsonError(replay.clone(), 401, "invalid_session");
    expectSessionCookiesCleared(replay);

    // The legitimate holder of the newest token is signed out too.
    const newest = await browser.call(h(refresh), { path: PATH, body: "" });
    await expectJsonError(newest.clone(), 401, "invalid_session");
    expectSessionCookiesCleared(newest);

    const db = await getDb();
    const [session] = await db.select().from(sessions).where(eq(sessions.id, sessionId));
    expect(session?.revokedAt).toBeInstanceOf(Date);
    expect(session?.revokedReason).toBe("refresh_token_reuse");

    const events = await db.select().from(securityEvents).where(eq(securityEvents.type, "refresh_token_reuse"));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ userId: user.id, sessionId, ip: "203.0.113.9", userAgent: "Mallory/1.0" });
  });

  it("writes no token, cookie or hash into a log line, even while reporting reuse", async () => {
    const { browser, names } = await signedIn();
    const stolen = browser.cookie(names.refresh)!;
    const secrets = [stolen, unsealRefreshToken(stolen)!, browser.cookie(names.access)!];
    for (let rotation = 0; rotation < 2; rotation++) {
      await browser.call(h(refresh), { path: PATH, body: "" });
      secrets.push(browser.cookie(names.refresh)!, unsealRefreshToken(browser.cookie(names.refresh))!);
    }
    advanceClock(env().REFRESH_REUSE_GRACE_SECONDS + 1);
    expect((await refreshWith(stolen)).status).toBe(401);

    const lines = [console.info, console.warn, console.error, console.log]
      .flatMap((fn) => (vi.isMockFunction(fn) ? fn.mock.calls : []))
      .map((args) => args.map(String).join(" "));
    expect(lines.some((line) => line.includes("refresh_token_reuse"))).toBe(true);
    for (const secret of [...secrets, ...secrets.map(hashToken)]) {
      for (const line of lines) expect(line).not.toContain(secret);
    }
  });

  it("hands 25 concurrent refreshes with one cookie the same successor, without revoking anything", async () => {
    const { browser, sessionId, names } = await signedIn();
    const cookie = browser.cookie(names.refresh)!;
    const original = unsealRefreshToken(cookie);

    // Regression: waiters locked only the session row and re-rotated a stale token row (500 on PostgreSQL).
    // All 25 queue behind a held lock, then race: the pool lets 10 reach the row at once.
    const responses = await raceBehindRowLock(sessionId, 25, 10, () => refreshWith(cookie));
    expect(responses.map((r) => r.status)).toEqual(Array(25).fill(200));
    const successors = new Set(await Promise.all(responses.map(refreshTokenSetBy)));
    expect(successors.size).toBe(1);
    const [successor] = [...successors];
    expect(successor).toBeTruthy();
    expect(successor).not.toBe(original);

    const db = await getDb();
    const live = await db
      .select({ hash: refreshTokens.tokenHash })
      .from(refreshTokens)
      .where(and(eq(refreshTokens.sessionId, sessionId), isNull(refreshTokens.rotatedAt)));
    expect(live).toEqual([{ hash: hashToken(successor!) }]);
    // The login's token and exactly one successor: no waiter wrote a row of its own.
    expect(await countRows(refreshTokens, eq(refreshTokens.sessionId, sessionId))).toBe(2);
    expect(await countRows(sessions, and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))).toBe(1);
    expect(await countRows(securityEvents, eq(securityEvents.type, "refresh_token_reuse"))).toBe(0);

    // The converged token is the live one: it refreshes again.
    expect((await refreshWith(sealRefreshToken(successor!, 3600))).status).toBe(200);
  });

  it("converges 10 refreshes racing with one cookie, with no lock held to line them up, on one successor row", async () => {
    const { browser, sessionId, names } = await signedIn();
    const cookie = browser.cookie(names.refresh)!;

    // On PostgreSQL these really overlap (the pool has 10 connections): one
    // rotates in a single statement, the others wait for its row lock and
    // then take the locked path's grace-window answer.
    const responses = await Promise.all(Array.from({ length: 10 }, () => refreshWith(cookie)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const successors = new Set(await Promise.all(responses.map(refreshTokenSetBy)));
    expect(successors.size).toBe(1);
    expect(await countRows(refreshTokens, eq(refreshTokens.sessionId, sessionId))).toBe(2);
    expect(await countRows(securityEvents, eq(securityEvents.type, "refresh_token_reuse"))).toBe(0);
  });

  it("gives a retry with the old cookie inside the grace window the family's current token", async () => {
    const { browser, names } = await signedIn();
    const lost = browser.cookie(names.refresh)!;

    const first = await browser.call(h(refresh), { path: PATH, body: "" });
    const child = await refreshTokenSetBy(first);
    const retry = await refreshWith(lost);
    expect(retry.status).toBe(200);
    expect(await refreshTokenSetBy(retry)).toBe(child);

    // Two generations later, still inside the window, the retry walks to the newest token.
    const second = await browser.call(h(refresh), { path: PATH, body: "" });
    const grandchild = await refreshTokenSetBy(second);
    expect(grandchild).not.toBe(child);
    advanceClock(env().REFRESH_REUSE_GRACE_SECONDS - 2);
    const lateRetry = await refreshWith(lost);
    expect(lateRetry.status).toBe(200);
    expect(await refreshTokenSetBy(lateRetry)).toBe(grandchild);
    expect(await countRows(securityEvents, eq(securityEvents.type, "refresh_token_reuse"))).toBe(0);
  });

  it("gives the holder of a rotated token whose successor was never used that successor, however late: a lost answer, not theft", async () => {
    // Regression (review finding 7): a rotation whose answer never arrived (an aborted navigation, or a 503 whose
    // statement committed anyway) left the browser with the parent, and its next refresh revoked the session as theft.
    const { browser, sessionId, names } = await signedIn();
    const parent = browser.cookie(names.refresh)!;
    const lost = await refreshTokenSetBy(await refreshWith(parent));

    advanceClock(env().REFRESH_IDLE_TTL_SECONDS - 60);
    const retry = await browser.call(h(refresh), { path: PATH, body: "" });
    expect(retry.status).toBe(200);
    // The very successor whose answer was lost (it is derived from the parent, docs/decisions/0003): nothing new is minted.
    expect(await refreshTokenSetBy(retry)).toBe(lost);
    expect(await countRows(refreshTokens, eq(refreshTokens.sessionId, sessionId))).toBe(2);
    expect(await countRows(securityEvents, eq(securityEvents.type, "refresh_token_reuse"))).toBe(0);
    expect(await countRows(sessions, and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))).toBe(1);
    expect((await browser.call(h(me), { path: "/api/me" })).status).toBe(200);

    // The same lost answer once more converges again; then the successor rotates as usual.
    advanceClock(env().REFRESH_REUSE_GRACE_SECONDS + 1);
    expect(await refreshTokenSetBy(await refreshWith(parent))).toBe(lost);
    const next = await browser.call(h(refresh), { path: PATH, body: "" });
    expect(next.status).toBe(200);
    expect(await refreshTokenSetBy(next)).not.toBe(lost);
    expect((await browser.call(h(me), { path: "/api/me" })).status).toBe(200);
  });

  it("still ends a session past its idle expiry when its rotated token converges late", async () => {
    const { browser, names } = await signedIn();
    const parent = browser.cookie(names.refresh)!;
    expect((await refreshWith(parent)).status).toBe(200);
    advanceClock(env().REFRESH_IDLE_TTL_SECONDS + 1);
    await expectJsonError(await browser.call(h(refresh), { path: PATH, body: "" }), 401, "invalid_session");
    expect(await countRows(securityEvents, eq(securityEvents.type, "refresh_token_reuse"))).toBe(0);
  });

  it("treats a second holder as theft: once a successor was handed out again late, its stale presentation is reuse", async () => {
    const { user, browser, sessionId, names } = await signedIn();
    // The thief copied the live cookie and refreshed with it first; the browser's turn converges on the thief's token.
    const thief = new TestClient();
    thief.cookies.set(names.refresh, browser.cookie(names.refresh)!);
    expect((await thief.call(h(refresh), { path: PATH, body: "" })).status).toBe(200);
    advanceClock(env().REFRESH_REUSE_GRACE_SECONDS + 1);
    expect((await browser.call(h(refresh), { path: PATH, body: "" })).status).toBe(200);
    expect(browser.cookie(names.refresh)).toBeDefined();

    // Both now hold one token. The thief rotates it; the browser's next presentation can no longer be a lost answer.
    expect((await thief.call(h(refresh), { path: PATH, body: "" })).status).toBe(200);
    advanceClock(env().REFRESH_REUSE_GRACE_SECONDS + 1);
    await expectJsonError(await browser.call(h(refresh), { path: PATH, body: "" }), 401, "invalid_session");
    await expectJsonError(await thief.call(h(refresh), { path: PATH, body: "" }), 401, "invalid_session");
    const db = await getDb();
    const [session] = await db.select().from(sessions).where(eq(sessions.id, sessionId));
    expect(session?.revokedReason).toBe("refresh_token_reuse");
    expect(await countRows(securityEvents, and(eq(securityEvents.type, "refresh_token_reuse"), eq(securityEvents.userId, user.id)))).toBe(1);
  });

  it("ends a session left idle for more than 7 days", async () => {
    const { browser } = await signedIn();
    advanceClock(env().REFRESH_IDLE_TTL_SECONDS - 60);
    expect((await browser.call(h(refresh), { path: PATH, body: "" })).status).toBe(200);

    advanceClock(env().REFRESH_IDLE_TTL_SECONDS + 1);
    const response = await browser.call(h(refresh), { path: PATH, body: "" });
    await expectJsonError(response.clone(), 401, "invalid_session");
    expectSessionCookiesCleared(response);
  });

  it("ends a session 30 days after sign-in however often it is used", async () => {
    const { browser } = await signedIn();
    expect(env().REFRESH_ABSOLUTE_TTL_SECONDS).toBe(30 * DAY);
    for (let day = 6; day <= 24; day += 6) {
      advanceClock(6 * DAY);
      expect((await browser.call(h(refresh), { path: PATH, body: "" })).status, `refresh on day ${day}`).toBe(200);
    }
    // Day 30 and a second: the idle limit (day 31) is not reached, the absolute one is.
    advanceClock(6 * DAY + 1);
    const response = await browser.call(h(refresh), { path: PATH, body: "" });
    await expectJsonError(response.clone(), 401, "invalid_session");
    expectSessionCookiesCleared(response);
  });

  it.each([
    ["tampered", async (sealed: string) => `${sealed.slice(0, 40)}${sealed[40] === "A" ? "B" : "A"}${sealed.slice(41)}`],
    ["garbage", async () => "garbage-cookie-value"],
    ["empty", async () => ""],
    ["oversized", async () => "x".repeat(5000)],
    [
      "sealed under another secret",
      async () => {
        const own = process.env.AUTH_SECRET;
        process.env.AUTH_SECRET = generateAuthSecret();
        resetEnvCache();
        try {
          return sealRefreshToken("a".repeat(43), 3600);
        } finally {
          process.env.AUTH_SECRET = own;
          resetEnvCache();
        }
      },
    ],
    ["a valid seal of an unknown token", async () => sealRefreshToken("b".repeat(43), 3600)],
  ])("answers 401 with cleared cookies, never 500, for a refresh cookie that is %s", async (_name, make) => {
    const { browser, names } = await signedIn();
    const response = await refreshWith(await make(browser.cookie(names.refresh)!));
    await expectJsonError(response.clone(), 401, "invalid_session");
    expectSessionCookiesCleared(response);
    // Junk does not harm the real session.
    expect((await browser.call(h(refresh), { path: PATH, body: "" })).status).toBe(200);
  });

  it("answers 401 without a refresh cookie", async () => {
    const response = await new TestClient().call(h(refresh), { path: PATH, body: "" });
    await expectJsonError(response.clone(), 401, "invalid_session");
    expectSessionCookiesCleared(response);
  });

  it("refuses a cross-site refresh and keeps the session", async () => {
    const { browser, names } = await signedIn();
    const cookie = browser.cookie(names.refresh)!;
    const response = await refreshWith(cookie, CROSS_SITE.fetchMetadata);
    await expectJsonError(response, 403, "cross_site_request");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect((await refreshWith(cookie)).status).toBe(200);
  });

  it.each(["GET", "HEAD", "PUT", "DELETE"])("answers %s with 405 and Allow: POST, rotating nothing", async (method) => {
    const { browser } = await signedIn();
    const response = await browser.call(h(refresh), { path: PATH, method });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(response.headers.getSetCookie()).toEqual([]);
    if (method !== "HEAD") await expectJsonError(response, 405, "method_not_allowed");
    expect(await countRows(refreshTokens)).toBe(1);
  });
});
