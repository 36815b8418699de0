import { describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { decodeJwt } from "jose";
import { refresh } from "../support/node-route";
import { GET as cronPrune } from "@/app/api/cron/prune/route";
import { GET as listDevices } from "@/app/api/auth/sessions/route";
import { POST as tokenEndpoint } from "@/app/api/auth/token/route";
import { getDb } from "@/db/client";
import { apiKeys, authorizationCodes, emailOutbox, oneTimeTokens, rateLimits, refreshTokens, securityEvents, sessions, webauthnChallenges } from "@/db/schema";
import { findAdminUser } from "@/lib/admin/admin-user";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { hashToken } from "@/lib/auth/sessions/refresh-token";
import { rotateRefreshToken } from "@/lib/auth/sessions/rotate-refresh-token";
import { createSession } from "@/lib/auth/sessions/session";
import { env, resetEnvCache } from "@/lib/env";
import { retentionSettings, type RetentionPolicy } from "@/lib/retention/policy";
import { pruneTables, type PruneReport } from "@/lib/retention/prune";
import { RATE_LIMIT_SPAN_SECONDS } from "@/lib/retention/rules";
import { TestClient, type RouteHandler } from "../support/client";
import { advanceClock } from "../support/clock";
import { callCron, TEST_CRON_SECRET } from "../support/cron";
import { createUser, loginAs } from "../support/fixtures";
import { countRows } from "../support/rows";
import { holdSessionRowLock } from "../support/row-lock";

// Retention (lib/retention/, docs/decisions/0029): each rule deletes what is
// over and nothing else, in bounded batches, and nothing a request can still
// use goes, above all no refresh token of a live session (reuse detection).

const h = (handler: unknown) => handler as RouteHandler;
const DAY = 24 * 60 * 60;
/** Everything over goes at once: the strictest policy must still keep what is live. */
const NO_GRACE: RetentionPolicy = { sessionTokenDays: 0, sessionDays: 0, outboxDays: 0, securityEventDays: 0, apiKeyDays: 0 };

const ago = (now: Date, seconds: number) => new Date(now.getTime() - seconds * 1000);

function prune(input: { now?: Date; policy?: RetentionPolicy; batchSize?: number; budgetMs?: number } = {}): Promise<PruneReport> {
  const settings = retentionSettings();
  return pruneTables({
    now: input.now ?? new Date(),
    policy: input.policy ?? settings.policy,
    batchSize: input.batchSize ?? settings.batchSize,
    budgetMs: input.budgetMs ?? Number.POSITIVE_INFINITY,
  });
}

type SessionTimes = { createdAt?: Date; expiresAt: Date; absoluteExpiresAt?: Date; revokedAt?: Date | null };

/** A session row with `tokens` refresh-token rows (all but the last rotated), written as they would be. */
async function insertSession(userId: string, times: SessionTimes, tokens = 3): Promise<string> {
  const db = await getDb();
  const id = crypto.randomUUID();
  const createdAt = times.createdAt ?? ago(times.expiresAt, 7 * DAY);
  await db.insert(sessions).values({
    id,
    userId,
    kind: "browser",
    createdAt,
    lastUsedAt: createdAt,
    authenticatedAt: createdAt,
    expiresAt: times.expiresAt,
    absoluteExpiresAt: times.absoluteExpiresAt ?? times.expiresAt,
    revokedAt: times.revokedAt ?? null,
    revokedReason: times.revokedAt ? "sign_out" : null,
  });
  const ids = Array.from({ length: tokens }, () => crypto.randomUUID());
  if (tokens === 0) return id;
  await db.insert(refreshTokens).values(
    ids.map((tokenId, i) => ({
      id: tokenId,
      sessionId: id,
      tokenHash: hashToken(`${id}-${i}`),
      createdAt,
      rotatedAt: i < tokens - 1 ? createdAt : null,
      successorId: ids[i + 1] ?? null,
    })),
  );
  return id;
}

async function tokenSessions(): Promise<Map<string, number>> {
  const rows = await (await getDb()).select({ sessionId: refreshTokens.sessionId }).from(refreshTokens);
  const counts = new Map<string, number>();
  for (const { sessionId } of rows) counts.set(sessionId, (counts.get(sessionId) ?? 0) + 1);
  return counts;
}

async function ids(table: typeof sessions | typeof oneTimeTokens | typeof emailOutbox | typeof securityEvents | typeof authorizationCodes | typeof apiKeys | typeof webauthnChallenges): Promise<string[]> {
  return (await (await getDb()).select({ id: table.id }).from(table)).map((row) => row.id).sort();
}

describe("each retention rule deletes what is over and nothing else", () => {
  it("refresh tokens: those of a session that ended over RETENTION_SESSION_TOKEN_DAYS ago; a live session keeps all of its own", async () => {
    const { id: userId } = await createUser();
    const now = new Date();
    const window = env().RETENTION_SESSION_TOKEN_DAYS * DAY;
    const live = await insertSession(userId, { createdAt: ago(now, 29 * DAY), expiresAt: ago(now, -DAY), absoluteExpiresAt: ago(now, -DAY) }, 50);
    const revokedOutside = await insertSession(userId, { expiresAt: ago(now, -DAY), revokedAt: ago(now, window + 1) });
    const revokedInside = await insertSession(userId, { expiresAt: ago(now, -DAY), revokedAt: ago(now, window - 1) });
    const idleOutside = await insertSession(userId, { expiresAt: ago(now, window + 1), absoluteExpiresAt: ago(now, -10 * DAY) });
    const idleInside = await insertSession(userId, { expiresAt: ago(now, window - 1), absoluteExpiresAt: ago(now, -10 * DAY) });
    const absoluteOutside = await insertSession(userId, { expiresAt: ago(now, -DAY), absoluteExpiresAt: ago(now, window + 1) });

    const report = await prune({ now });

    expect(report.deleted.refresh_tokens).toBe(9);
    expect(Object.fromEntries(await tokenSessions())).toEqual({ [live]: 50, [revokedInside]: 3, [idleInside]: 3 });
    // The sessions themselves stay for RETENTION_SESSION_DAYS.
    expect(await ids(sessions)).toEqual([live, revokedOutside, revokedInside, idleOutside, idleInside, absoluteOutside].sort());
  });

  it("sessions: those that ended over RETENTION_SESSION_DAYS ago, once their tokens are gone", async () => {
    const { id: userId } = await createUser();
    const now = new Date();
    const window = env().RETENTION_SESSION_DAYS * DAY;
    await insertSession(userId, { expiresAt: ago(now, -DAY), revokedAt: ago(now, window + 1) });
    const revokedInside = await insertSession(userId, { expiresAt: ago(now, -DAY), revokedAt: ago(now, window - 1) });
    await insertSession(userId, { expiresAt: ago(now, window + 1) });
    const expiredInside = await insertSession(userId, { expiresAt: ago(now, window - 1) });
    const live = await insertSession(userId, { createdAt: ago(now, 400 * DAY), expiresAt: ago(now, -DAY) });

    const report = await prune({ now });

    expect(report.deleted.sessions).toBe(2);
    expect(await ids(sessions)).toEqual([revokedInside, expiredInside, live].sort());
    expect([...(await tokenSessions()).keys()]).toEqual([live]);
  });

  it("sessions: one whose tokens are kept longer than the session waits for them", async () => {
    const { id: userId } = await createUser();
    const now = new Date();
    const ended = await insertSession(userId, { expiresAt: ago(now, 2 * DAY) });

    const report = await prune({ now, policy: { ...NO_GRACE, sessionTokenDays: 3 } });

    expect(report.deleted).toMatchObject({ sessions: 0, refresh_tokens: 0 });
    expect(await ids(sessions)).toEqual([ended]);
  });

  it("one-time tokens: expired ones, but not one whose message still waits to be sent", async () => {
    const { id: userId } = await createUser();
    const db = await getDb();
    const now = new Date();
    const token = (expiresAt: Date, usedAt: Date | null = null) => ({
      id: crypto.randomUUID(),
      userId,
      purpose: "reset_password" as const,
      tokenHash: hashToken(crypto.randomUUID()),
      createdAt: ago(expiresAt, 1800),
      expiresAt,
      usedAt,
    });
    const expired = token(ago(now, 1));
    const expiredUsed = token(ago(now, 1), ago(now, 60));
    const current = token(ago(now, -1));
    const usedCurrent = token(ago(now, -60), ago(now, 60));
    const waiting = token(ago(now, 3600));
    await db.insert(oneTimeTokens).values([expired, expiredUsed, current, usedCurrent, waiting]);
    await db.insert(emailOutbox).values({
      id: crypto.randomUUID(),
      kind: "password_reset",
      toAddress: "ada@example.com",
      subject: "Reset",
      sealedBody: "sealed",
      createdAt: ago(now, 7200),
      nextAttemptAt: ago(now, 60),
      oneTimeTokenId: waiting.id,
    });

    const report = await prune({ now });

    expect(report.deleted.one_time_tokens).toBe(2);
    expect(await ids(oneTimeTokens)).toEqual([current.id, usedCurrent.id, waiting.id].sort());
  });

  it("authorization codes: used or not, those that expired over a day ago; a used one stays a day, so its replay still revokes", async () => {
    const { id: userId } = await createUser();
    const db = await getDb();
    const now = new Date();
    const session = await insertSession(userId, { expiresAt: ago(now, -DAY) });
    const code = (expiresAt: Date, used: boolean) => ({
      id: crypto.randomUUID(),
      codeHash: hashToken(crypto.randomUUID()),
      userId,
      clientId: "com.example.notes",
      redirectUri: "com.example.notes:/oauth/callback",
      codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      authenticatedAt: ago(expiresAt, 60),
      createdAt: ago(expiresAt, 60),
      expiresAt,
      usedAt: used ? ago(expiresAt, 30) : null,
      sessionId: used ? session : null,
    });
    const usedLongAgo = code(ago(now, DAY + 1), true);
    const expiredLongAgo = code(ago(now, DAY + 1), false);
    const usedToday = code(ago(now, DAY - 1), true);
    const expiredToday = code(ago(now, 60), false);
    const live = code(ago(now, -30), false);
    await db.insert(authorizationCodes).values([usedLongAgo, expiredLongAgo, usedToday, expiredToday, live]);

    const report = await prune({ now, policy: NO_GRACE });

    expect(report.deleted.authorization_codes).toBe(2);
    expect(await ids(authorizationCodes)).toEqual([usedToday.id, expiredToday.id, live.id].sort());
    // The session the used codes opened is live: retention leaves it and its tokens alone.
    expect((await tokenSessions()).get(session)).toBe(3);
  });

  it("outbox: mail sent or given up over RETENTION_OUTBOX_DAYS ago; waiting mail, however old, stays", async () => {
    const db = await getDb();
    const now = new Date();
    const window = env().RETENTION_OUTBOX_DAYS * DAY;
    const message = (times: { sentAt?: Date; failedAt?: Date }) => ({
      id: crypto.randomUUID(),
      kind: "verify_email",
      toAddress: "ada@example.com",
      subject: "Confirm",
      sealedBody: times.sentAt || times.failedAt ? null : "sealed",
      createdAt: ago(now, 60 * DAY),
      nextAttemptAt: ago(now, 60 * DAY),
      sentAt: times.sentAt ?? null,
      failedAt: times.failedAt ?? null,
    });
    const rows = {
      sentOutside: message({ sentAt: ago(now, window + 1) }),
      sentInside: message({ sentAt: ago(now, window - 1) }),
      failedOutside: message({ failedAt: ago(now, window + 1) }),
      failedInside: message({ failedAt: ago(now, window - 1) }),
      waiting: message({}),
    };
    await db.insert(emailOutbox).values(Object.values(rows));

    const report = await prune({ now });

    expect(report.deleted.email_outbox).toBe(2);
    expect(await ids(emailOutbox)).toEqual([rows.sentInside.id, rows.failedInside.id, rows.waiting.id].sort());
  });

  it("rate limits: windows that no limit can still count, unless blocked", async () => {
    const db = await getDb();
    const now = new Date();
    await db.insert(rateLimits).values([
      { key: "refresh:ip:198.51.100.1", count: 3, windowStartedAt: ago(now, RATE_LIMIT_SPAN_SECONDS + 1) },
      { key: "login:account:ada@example.com", count: 9, windowStartedAt: ago(now, RATE_LIMIT_SPAN_SECONDS - 1) },
      { key: "login:account:bob@example.com", count: 30, windowStartedAt: ago(now, RATE_LIMIT_SPAN_SECONDS + 1), blockedUntil: ago(now, -60) },
    ]);

    const report = await prune({ now });

    expect(report.deleted.rate_limits).toBe(1);
    const keys = (await db.select({ key: rateLimits.key }).from(rateLimits)).map((row) => row.key).sort();
    expect(keys).toEqual(["login:account:ada@example.com", "login:account:bob@example.com"]);
  });

  it("security events: those recorded over RETENTION_SECURITY_EVENT_DAYS ago", async () => {
    const { id: userId } = await createUser();
    const db = await getDb();
    const now = new Date();
    const window = env().RETENTION_SECURITY_EVENT_DAYS * DAY;
    const event = (createdAt: Date, user: string | null) => ({ id: crypto.randomUUID(), type: "sign_in", userId: user, createdAt });
    const kept = [event(ago(now, window - 1), userId), event(ago(now, window - 1), null)];
    await db.insert(securityEvents).values([event(ago(now, window + 1), userId), event(ago(now, window + 1), null), ...kept]);

    const report = await prune({ now });

    expect(report.deleted.security_events).toBe(2);
    expect(await ids(securityEvents)).toEqual(kept.map((row) => row.id).sort());
  });

  it("API keys: revoked or expired over RETENTION_API_KEY_DAYS ago; live keys, and keys that never expire, stay", async () => {
    const { id: userId } = await createUser();
    const db = await getDb();
    const now = new Date();
    const window = env().RETENTION_API_KEY_DAYS * DAY;
    const key = (over: { revokedAt?: Date; expiresAt?: Date | null }) => {
      const id = crypto.randomUUID();
      return { id, userId, name: "k", prefix: "dmn_abcdef", keyHash: id, scopes: ["me:read"], createdAt: ago(now, 400 * DAY), expiresAt: null, ...over };
    };
    const kept = [
      key({}),
      key({ revokedAt: ago(now, window - 1) }),
      key({ expiresAt: ago(now, window - 1) }),
      key({ expiresAt: ago(now, -DAY) }),
    ];
    await db.insert(apiKeys).values([key({ revokedAt: ago(now, window + 1) }), key({ expiresAt: ago(now, window + 1) }), key({ revokedAt: ago(now, window + 1), expiresAt: ago(now, -DAY) }), ...kept]);

    const report = await prune({ now });

    expect(report.deleted.api_keys).toBe(3);
    expect(await ids(apiKeys)).toEqual(kept.map((row) => row.id).sort());
  });

  it("passkey challenges: once expired, whoever asked; live ones stay", async () => {
    const db = await getDb();
    const now = new Date();
    const challenge = (expiresAt: Date) => ({ id: crypto.randomUUID(), challenge: "c", purpose: "sign_in" as const, expiresAt, createdAt: ago(now, 300) });
    const kept = [challenge(ago(now, -1)), challenge(ago(now, -300))];
    await db.insert(webauthnChallenges).values([challenge(ago(now, 1)), challenge(ago(now, 3600)), ...kept]);

    const report = await prune({ now });

    expect(report.deleted.webauthn_challenges).toBe(2);
    expect(await ids(webauthnChallenges)).toEqual(kept.map((row) => row.id).sort());
  });

  it("has the documented defaults", () => {
    expect(retentionSettings()).toEqual({
      policy: { sessionTokenDays: 1, sessionDays: 30, outboxDays: 7, securityEventDays: 365, apiKeyDays: 30 },
      batchSize: 1000,
    });
    expect(RATE_LIMIT_SPAN_SECONDS).toBe(DAY);
  });
});

describe("batches", () => {
  it("deletes more rows than one batch holds in several statements, all of them", async () => {
    const db = await getDb();
    const now = new Date();
    await db.insert(securityEvents).values(Array.from({ length: 25 }, () => ({ id: crypto.randomUUID(), type: "sign_in", createdAt: ago(now, 400 * DAY) })));

    const report = await prune({ now, batchSize: 10 });

    expect(report.deleted.security_events).toBe(25);
    // 10 + 10 + 5 for the events, and one statement that finds nothing for each of the eight other tables.
    expect(report.statements).toBe(3 + 8);
    expect(report.done).toBe(true);
    expect(await countRows(securityEvents)).toBe(0);
  });

  it("starts no statement once its time budget is spent, and says it is not done", async () => {
    const db = await getDb();
    await db.insert(securityEvents).values({ id: crypto.randomUUID(), type: "sign_in", createdAt: ago(new Date(), 400 * DAY) });

    expect(await prune({ budgetMs: 0 })).toMatchObject({ statements: 0, done: false });
    expect(await countRows(securityEvents)).toBe(1);
  });
});

describe("what a prune must never change", () => {
  const PATH = "/api/auth/refresh";

  async function expectEndedByReuse(sessionId: string): Promise<void> {
    const db = await getDb();
    const [session] = await db.select().from(sessions).where(eq(sessions.id, sessionId));
    expect(session?.revokedReason).toBe("refresh_token_reuse");
    expect(await countRows(securityEvents, eq(securityEvents.type, "refresh_token_reuse"))).toBe(1);
  }

  it("a browser's replayed old refresh cookie is still reuse after a prune: the session ends and the event is recorded", async () => {
    const user = await createUser();
    const browser = await loginAs(user);
    const names = cookieNames();
    const sessionId = decodeJwt(browser.cookie(names.access)!).sid as string;
    const stolen = browser.cookie(names.refresh)!;
    for (let i = 0; i < 2; i++) expect((await browser.call(h(refresh), { path: PATH, body: "" })).status).toBe(200);
    // Days later: the stolen cookie's token is older than any window, but its seal (the idle lifetime) still holds.
    advanceClock(6 * DAY);
    const before = await countRows(refreshTokens, eq(refreshTokens.sessionId, sessionId));

    await prune({ policy: NO_GRACE });
    expect(await countRows(refreshTokens, eq(refreshTokens.sessionId, sessionId))).toBe(before);

    const replay = await new TestClient().call(h(refresh), { path: PATH, body: "", headers: { cookie: `${names.refresh}=${stolen}` } });
    expect(replay.status).toBe(401);
    await expectEndedByReuse(sessionId);
    expect((await browser.call(h(refresh), { path: PATH, body: "" })).status).toBe(401);
  });

  it("a native app's refresh token replayed weeks later is still reuse after a prune", async () => {
    const user = await createUser();
    const grant = async (body: Record<string, string>) =>
      new TestClient().call(h(tokenEndpoint), { path: "/api/auth/token", json: body });
    const first = await (await grant({ grant_type: "password", email: user.email, password: user.password })).json();
    const stolen = first.refresh_token as string;
    const sessionId = decodeJwt(first.access_token).sid as string;
    // Weeks of use, within the session's absolute lifetime (30 days).
    let current = stolen;
    for (let week = 0; week < 4; week++) {
      advanceClock(6 * DAY);
      const response = await grant({ grant_type: "refresh_token", refresh_token: current });
      expect(response.status).toBe(200);
      current = (await response.json()).refresh_token;
    }

    const report = await prune({ policy: NO_GRACE });
    expect(report.deleted.refresh_tokens).toBe(0);

    const replay = await grant({ grant_type: "refresh_token", refresh_token: stolen });
    expect(replay.status).toBe(400);
    await expectEndedByReuse(sessionId);
    expect((await grant({ grant_type: "refresh_token", refresh_token: current })).status).toBe(400);
  });

  it("the device list shows the same devices before and after", async () => {
    const user = await createUser();
    const laptop = await loginAs(user);
    const phone = await loginAs(user);
    const ended = await loginAs(user);
    for (const client of [laptop, phone, laptop]) await client.call(h(refresh), { path: PATH, body: "" });
    await insertSession(user.id, { expiresAt: ago(new Date(), DAY) });
    const endedId = decodeJwt(ended.cookie(cookieNames().access)!).sid as string;
    await (await getDb()).update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, endedId));
    const devices = async () => (await (await laptop.call(h(listDevices), { path: "/api/auth/sessions" })).json()).sessions;
    const before = await devices();
    expect(before).toHaveLength(2);

    advanceClock(1);
    const report = await prune({ policy: NO_GRACE });

    expect(report.deleted.sessions).toBe(2);
    expect(await devices()).toEqual(before);
  });

  it("an account whose every session was pruned still shows when it last signed in", async () => {
    const user = await createUser();
    const client = await loginAs(user);
    const sessionId = decodeJwt(client.cookie(cookieNames().access)!).sid as string;
    const db = await getDb();
    const [signedIn] = await db.select({ at: sessions.createdAt }).from(sessions).where(eq(sessions.id, sessionId));
    await db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, sessionId));

    advanceClock(1);
    await prune({ policy: NO_GRACE });

    expect(await countRows(sessions, eq(sessions.userId, user.id))).toBe(0);
    expect((await findAdminUser(db, user.id))?.lastSignInAt).toBe(signedIn!.at.toISOString());
  });
});

describe("GET /api/cron/prune", () => {
  const call = (authorization?: string) => callCron(cronPrune, "/api/cron/prune", authorization);

  it("does not exist without CRON_SECRET", async () => {
    expect((await call("Bearer anything-at-all-here")).status).toBe(404);
  });

  it("refuses a missing or wrong secret and prunes with the right one", async () => {
    process.env.CRON_SECRET = TEST_CRON_SECRET;
    resetEnvCache();
    try {
      const db = await getDb();
      await db.insert(securityEvents).values({ id: crypto.randomUUID(), type: "sign_in", createdAt: ago(new Date(), 400 * DAY) });
      expect((await call()).status).toBe(401);
      expect((await call("Bearer wrong-secret-0123456789abcdef")).status).toBe(401);
      expect(await countRows(securityEvents)).toBe(1);

      const response = await call(`Bearer ${TEST_CRON_SECRET}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        deleted: { authorization_codes: 0, refresh_tokens: 0, sessions: 0, one_time_tokens: 0, email_outbox: 0, rate_limits: 0, security_events: 1, api_keys: 0, webauthn_challenges: 0 },
        statements: 9,
        done: true,
      });
      expect(await countRows(securityEvents)).toBe(0);
    } finally {
      delete process.env.CRON_SECRET;
      resetEnvCache();
    }
  });
});

describe("prune beside live traffic", () => {
  it("breaks no refresh, and takes no token of a live session, while it runs in small batches beside them", async () => {
    const [ada, bob] = [await createUser("ada@example.com"), await createUser("bob@example.com")];
    const db = await getDb();
    const now = new Date();
    // Work for the whole run: ended sessions with many tokens each, and stale counters of the very addresses refreshing.
    for (let i = 0; i < 6; i++) await insertSession(bob.id, { expiresAt: ago(now, 10), revokedAt: ago(now, 20) }, 60);
    const clients = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const meta = { ip: `198.51.100.${i + 1}`, userAgent: "Firefox/140.0" };
        await db.insert(rateLimits).values({ key: `refresh:ip:${meta.ip}`, count: 299, windowStartedAt: ago(now, 2 * DAY) });
        const issued = await createSession(db, { userId: ada.id, kind: "browser", meta, now, twoFactor: false });
        return { meta, sessionId: issued.sessionId, token: issued.refreshToken };
      }),
    );
    const ROTATIONS = 15;

    let refreshing = true;
    const pruning = (async () => {
      const total = { refresh_tokens: 0, sessions: 0, rate_limits: 0 };
      while (refreshing) {
        const report = await prune({ policy: NO_GRACE, batchSize: 7 });
        for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += report.deleted[key];
      }
      return total;
    })();
    const results = await Promise.all(
      clients.map(async (client) => {
        const outcomes: string[] = [];
        for (let i = 0; i < ROTATIONS; i++) {
          const rotated = await rotateRefreshToken(client.token, { kind: "browser", meta: client.meta, now: new Date() });
          outcomes.push(rotated.ok ? "ok" : rotated.reason);
          if (rotated.ok) client.token = rotated.refresh.refreshToken;
        }
        return outcomes;
      }),
    ).finally(() => (refreshing = false));
    const pruned = await pruning;

    expect(results.flat()).toEqual(Array(clients.length * ROTATIONS).fill("ok"));
    expect(pruned).toMatchObject({ refresh_tokens: 6 * 60, sessions: 6 });
    const live = await tokenSessions();
    for (const client of clients) expect(live.get(client.sessionId)).toBe(ROTATIONS + 1);
    expect(await countRows(sessions, inArray(sessions.id, clients.map((c) => c.sessionId)))).toBe(clients.length);
    expect(await countRows(securityEvents)).toBe(0);
  });

  describe.runIf(process.env.DOORMAN_TEST_DATABASE === "postgres")("on PostgreSQL", () => {
    it("skips a row a request holds locked instead of waiting for it, and takes it on the next run", async () => {
      const { id: userId } = await createUser();
      const locked = await insertSession(userId, { expiresAt: ago(new Date(), 60 * DAY) }, 0);
      await insertSession(userId, { expiresAt: ago(new Date(), 60 * DAY) }, 0);
      const lock = await holdSessionRowLock(locked);
      try {
        const started = performance.now();
        expect((await prune()).deleted.sessions).toBe(1);
        // Well under the app's lock_timeout (3 s): it never waited.
        expect(performance.now() - started).toBeLessThan(1000);
        expect(await ids(sessions)).toEqual([locked]);
      } finally {
        await lock.release();
      }
      expect((await prune()).deleted.sessions).toBe(1);
      expect(await ids(sessions)).toEqual([]);
    });
  });
});
