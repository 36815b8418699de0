import { describe, expect, it, vi } from "vitest";
import { asc, eq, isNotNull, sql } from "drizzle-orm";
import { decodeJwt } from "jose";
import { refresh } from "../support/node-route";
import { closeDb, executeRows, getDb } from "@/db/client";
import { rateLimits, refreshTokens, securityEvents, sessions, users } from "@/db/schema";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { ipLimit } from "@/lib/auth/limits/ip-limits";
import { hashToken, successorOf, unsealRefreshToken } from "@/lib/auth/sessions/refresh-token";
import { rotateRefreshToken, type RotateResult } from "@/lib/auth/sessions/rotate-refresh-token";
import { addSeconds, createSession, type SessionKind } from "@/lib/auth/sessions/session";
import { env } from "@/lib/env";
import type { ClientMeta } from "@/lib/http/client-meta";
import type { RouteHandler } from "../support/client";
import { advanceClock } from "../support/clock";
import { createUser, loginAs } from "../support/fixtures";
import { countRows } from "../support/rows";
import { statementsSentDuring } from "../support/statements";

// The one-statement rotation of a fresh token (lib/auth/sessions/rotate-refresh-token.ts,
// docs/decisions/0014): it must write exactly what the locked transaction
// wrote, and nothing at all for a token it must refuse.

const NO_META: ClientMeta = { ip: null, userAgent: null };

async function signedIn() {
  const user = await createUser("ada@example.com");
  const browser = await loginAs(user);
  const raw = unsealRefreshToken(browser.cookie(cookieNames().refresh))!;
  const sessionId = decodeJwt(browser.cookie(cookieNames().access)!).sid as string;
  return { user, browser, raw, sessionId };
}

function rotate(raw: string, input: { kind?: SessionKind; meta?: ClientMeta } = {}): Promise<RotateResult> {
  return rotateRefreshToken(raw, { kind: input.kind ?? "browser", meta: input.meta ?? NO_META, now: new Date() });
}

async function tokenRow(raw: string) {
  const db = await getDb();
  const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashToken(raw)));
  return row;
}

async function sessionRow(sessionId: string) {
  const db = await getDb();
  const [row] = await db.select().from(sessions).where(eq(sessions.id, sessionId));
  return row!;
}

type SignedIn = Awaited<ReturnType<typeof signedIn>>;
/** How a test case spoils the refresh: it may change the database, or present another token or kind. */
type Refusal = [name: string, reason: string, arrange: (state: SignedIn) => Promise<{ presented?: string; kind?: SessionKind } | void>];

/** Every row a refresh could write to. */
async function writableRows() {
  const db = await getDb();
  return {
    refreshTokens: await db.select().from(refreshTokens).orderBy(asc(refreshTokens.id)),
    sessions: await db.select().from(sessions).orderBy(asc(sessions.id)),
    securityEvents: await db.select().from(securityEvents).orderBy(asc(securityEvents.id)),
  };
}

describe("rotating a fresh refresh token", () => {
  it("inserts the successor, marks the token rotated and renews the session, as the locked path did", async () => {
    const { user, raw, sessionId } = await signedIn();
    advanceClock(60);
    const now = new Date();
    const meta = { ip: "198.51.100.7", userAgent: "Firefox/140.0" };

    const result = await rotateRefreshToken(raw, { kind: "browser", meta, now });

    const idleExpiry = addSeconds(now, env().REFRESH_IDLE_TTL_SECONDS);
    expect(result).toEqual({
      ok: true,
      user: { id: user.id, email: "ada@example.com", name: "Ada Lovelace", role: "user", emailVerified: true },
      refresh: { sessionId, refreshToken: successorOf(raw), expiresAt: idleExpiry },
    });
    const successor = await tokenRow(successorOf(raw));
    expect(successor).toMatchObject({ sessionId, createdAt: now, rotatedAt: null, successorId: null });
    expect(await tokenRow(raw)).toMatchObject({ rotatedAt: now, successorId: successor!.id });
    const session = await sessionRow(sessionId);
    expect(session).toMatchObject({ lastUsedAt: now, expiresAt: idleExpiry, ip: meta.ip, userAgent: meta.userAgent, revokedAt: null });
    // The statement's raw timestamp text decodes to the very instant drizzle reads back.
    expect(result.ok && result.refresh.expiresAt.getTime()).toBe(session.expiresAt.getTime());
  });

  it("keeps the recorded address and user agent when the request carries none", async () => {
    const { raw, sessionId } = await signedIn();
    await rotate(raw, { meta: { ip: "198.51.100.7", userAgent: "Firefox/140.0" } });
    const second = await rotate(successorOf(raw), { meta: NO_META });
    expect(second.ok).toBe(true);
    expect(await sessionRow(sessionId)).toMatchObject({ ip: "198.51.100.7", userAgent: "Firefox/140.0" });
  });

  it("never moves the idle expiry past the absolute one", async () => {
    const { raw, sessionId } = await signedIn();
    const absolute = addSeconds(new Date(), 3600);
    const db = await getDb();
    await db.update(sessions).set({ absoluteExpiresAt: absolute }).where(eq(sessions.id, sessionId));

    const result = await rotate(raw);
    expect(result.ok && result.refresh.expiresAt).toEqual(absolute);
    expect((await sessionRow(sessionId)).expiresAt).toEqual(absolute);
  });

  it.each<Refusal>([
    [
      "its user is disabled",
      "revoked",
      async ({ user }) => {
        // Only the flag, not the admin action (which also revokes the sessions): the user check alone must refuse.
        await (await getDb()).update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
      },
    ],
    [
      "its session is revoked",
      "revoked",
      async ({ sessionId }) => {
        await (await getDb()).update(sessions).set({ revokedAt: new Date(), revokedReason: "test" }).where(eq(sessions.id, sessionId));
      },
    ],
    ["its session was idle too long", "expired", async () => advanceClock(env().REFRESH_IDLE_TTL_SECONDS + 1)],
    [
      "its session reached its absolute expiry",
      "expired",
      async ({ sessionId }) => {
        await (await getDb()).update(sessions).set({ absoluteExpiresAt: new Date() }).where(eq(sessions.id, sessionId));
      },
    ],
    ["it is presented as a native grant", "unknown", async () => ({ kind: "native" })],
    ["it is unknown", "unknown", async () => ({ presented: "b".repeat(43) })],
  ])("writes nothing when %s", async (_name, reason, arrange) => {
    const state = await signedIn();
    const { presented = state.raw, kind = "browser" } = (await arrange(state)) ?? {};
    const before = await writableRows();

    expect(await rotate(presented, { kind, meta: { ip: "203.0.113.9", userAgent: "Mallory/1.0" } })).toEqual({ ok: false, reason });
    expect(await writableRows()).toEqual(before);
  });

  it("settles a lost answer after the grace window by marking the successor reissued and renewing the session, nothing else", async () => {
    const { raw, sessionId } = await signedIn();
    await rotate(raw);
    advanceClock(env().REFRESH_REUSE_GRACE_SECONDS + 1);
    const now = new Date();
    const before = await writableRows();

    const result = await rotateRefreshToken(raw, { kind: "browser", meta: NO_META, now });
    expect(result).toMatchObject({ ok: true, refresh: { sessionId, refreshToken: successorOf(raw) } });
    const after = await writableRows();
    const successorId = (await tokenRow(successorOf(raw)))!.id;
    expect(after.refreshTokens).toEqual(before.refreshTokens.map((row) => (row.id === successorId ? { ...row, reissuedAt: now } : row)));
    expect(after.sessions).toEqual(
      before.sessions.map((row) => (row.id === sessionId ? { ...row, lastUsedAt: now, expiresAt: addSeconds(now, env().REFRESH_IDLE_TTL_SECONDS) } : row)),
    );
    expect(after.securityEvents).toEqual(before.securityEvents);
  });

  it("rotates a token whose user was re-enabled after the fast statement passed it over", async () => {
    const { user, raw, sessionId } = await signedIn();
    const db = await getDb();
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    // The race, made certain: the account is enabled again between the fast
    // statement (which sees it disabled) and the locked transaction.
    const transaction = db.transaction.bind(db);
    const spy = vi.spyOn(db, "transaction").mockImplementationOnce(async (...args) => {
      await db.update(users).set({ disabledAt: null }).where(eq(users.id, user.id));
      return transaction(...args);
    });

    const result = await rotate(raw);
    // The locked path ran: the fast statement had passed the token over.
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    expect(result).toMatchObject({ ok: true, refresh: { sessionId, refreshToken: successorOf(raw) } });
    expect(await tokenRow(raw)).toMatchObject({ successorId: (await tokenRow(successorOf(raw)))!.id });
  });
});

describe("the refresh allowance, counted by the rotating statement", () => {
  const meta = { ip: "198.51.100.7", userAgent: "Firefox/140.0" };
  const { key, rule } = ipLimit("refresh", meta);

  async function counter(): Promise<number | undefined> {
    const [row] = await (await getDb()).select().from(rateLimits).where(eq(rateLimits.key, key));
    return row?.count;
  }

  async function spendAllowanceBut(left: number): Promise<void> {
    await (await getDb()).insert(rateLimits).values({ key, count: rule.limit - left, windowStartedAt: new Date() });
  }

  it("counts each attempt once, fresh or settled under lock", async () => {
    const { raw } = await signedIn();
    await rotateRefreshToken(raw, { kind: "browser", meta, now: new Date() });
    expect(await counter()).toBe(1);
    // Rotated already: the statement counts it, the locked path settles it.
    await rotateRefreshToken(raw, { kind: "browser", meta, now: new Date() });
    await rotateRefreshToken("b".repeat(43), { kind: "browser", meta, now: new Date() });
    expect(await counter()).toBe(3);
  });

  it("over the limit, answers rateLimited and rotates nothing: the token still works once the window is over", async () => {
    const { raw } = await signedIn();
    await spendAllowanceBut(0);
    const before = await writableRows();

    await expect(rotateRefreshToken(raw, { kind: "browser", meta, now: new Date() })).rejects.toMatchObject({ code: "rate_limited" });
    expect(await writableRows()).toEqual(before);
    expect(await counter()).toBe(rule.limit + 1);

    advanceClock(rule.windowSeconds);
    expect(await rotateRefreshToken(raw, { kind: "browser", meta, now: new Date() })).toMatchObject({ ok: true });
    expect(await counter()).toBe(1);
  });

  it("holds exactly under concurrent refreshes from one address", async () => {
    const user = await createUser("ada@example.com");
    const db = await getDb();
    const now = new Date();
    const families = await Promise.all(Array.from({ length: 12 }, () => createSession(db, { userId: user.id, kind: "browser", meta, now, twoFactor: false })));
    await spendAllowanceBut(5);

    const outcomes = await Promise.allSettled(families.map((family) => rotateRefreshToken(family.refreshToken, { kind: "browser", meta, now })));
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled" && outcome.value.ok)).toHaveLength(5);
    const refused = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(refused).toHaveLength(7);
    for (const outcome of refused) expect(outcome.reason).toMatchObject({ code: "rate_limited" });
    expect(await countRows(refreshTokens, isNotNull(refreshTokens.rotatedAt))).toBe(5);
    expect(await counter()).toBe(rule.limit + 7);
  });
});

describe.runIf(process.env.DOORMAN_TEST_DATABASE === "postgres")("database round trips of a refresh", () => {
  it("sends one statement for a fresh token: the per-address count and the rotation together", async () => {
    // Guards the refresh p99 work: this path used to send seven (the counter, then BEGIN, SELECT, INSERT, two UPDATEs, COMMIT).
    const { browser } = await signedIn();
    const sent = await statementsSentDuring(() => browser.call(refresh as RouteHandler, { path: "/api/auth/refresh", body: "" }));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^with hit as \(insert into rate_limits /);
  });

  it("prepares that statement once per connection: PostgreSQL does not parse and plan it on every refresh", async () => {
    const { browser } = await signedIn();
    await closeDb();
    for (let i = 0; i < 3; i++) expect((await browser.call(refresh as RouteHandler, { path: "/api/auth/refresh", body: "" })).status).toBe(200);
    // One request at a time: postgres.js has opened one connection, and this asks on it.
    const rows = await executeRows<{ count: number }>(
      await getDb(),
      sql`select count(*)::int as count from pg_prepared_statements where statement like 'with hit as (insert into rate_limits %'`,
    );
    expect(rows[0]!.count).toBe(1);
  });
});
