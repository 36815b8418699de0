import postgres from "postgres";
import { and, eq, isNull } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/me/route";
import { closeDb, getDb } from "@/db/client";
import { refreshTokens, securityEvents } from "@/db/schema";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { TestClient, type RouteHandler } from "../support/client";
import { expectConsoleError } from "../support/console-guard";
import { currentEnv, setEnv } from "../support/env-vars";
import { createUser, loginAs } from "../support/fixtures";
import { refreshTokenSetBy } from "../support/http";
import { refresh } from "../support/node-route";
import { findPgBouncer, startPgBouncer, versionAtLeast, type PgBouncer } from "../support/pgbouncer";
import { raceBehindRowLock } from "../support/row-lock";
import { countRows } from "../support/rows";

// Doorman behind a transaction pooler (docs/decisions/0031): DATABASE_URL
// reaches PostgreSQL through a real PgBouncer in transaction mode, with
// DATABASE_PREPARED_STATEMENTS=false; DATABASE_URL_UNPOOLED is the direct
// connection the migrations (and their session-level advisory lock) use.

const h = (handler: unknown) => handler as RouteHandler;
const PATH = "/api/auth/refresh";
const pgbouncer = findPgBouncer();
const skipReason =
  process.env.DOORMAN_TEST_DATABASE !== "postgres"
    ? "PostgreSQL only (set TEST_DATABASE_URL)"
    : "missing" in pgbouncer
      ? pgbouncer.missing
      : null;

const saved = currentEnv(["DATABASE_URL", "DATABASE_URL_UNPOOLED", "DATABASE_PREPARED_STATEMENTS"]);
let bouncer: PgBouncer;

/** Transactions PgBouncer has carried to this test's database so far. */
async function pooledTransactions(): Promise<number> {
  const admin = postgres(bouncer.adminUrl, { max: 1, fetch_types: false, onnotice: () => {} });
  try {
    const rows = await admin.unsafe("SHOW STATS").simple();
    const database = new URL(saved.DATABASE_URL!).pathname.slice(1);
    return Number(rows.find((row) => row.database === database)?.total_xact_count ?? 0);
  } finally {
    await admin.end({ timeout: 2 });
  }
}

async function signedIn() {
  const user = await createUser("ada@example.com");
  const browser = await loginAs(user);
  const sessionId = decodeJwt(browser.cookie(cookieNames().access)!).sid as string;
  return { browser, sessionId };
}

function refreshWith(sealed: string) {
  return new TestClient().call(h(refresh), { path: PATH, body: "", headers: { cookie: `${cookieNames().refresh}=${sealed}` } });
}

if (skipReason !== null) {
  it.skip(`through PgBouncer: skipped, ${skipReason}`, () => {});
} else {
  describe(`through PgBouncer ${"version" in pgbouncer ? pgbouncer.version : ""} in transaction mode`, () => {
    beforeAll(async () => {
      if (!("binary" in pgbouncer)) return;
      // 20 server connections: the held row lock below keeps one, and ten refreshes must reach the row at once.
      bouncer = await startPgBouncer(pgbouncer.binary, pgbouncer.version, saved.DATABASE_URL!, { poolSize: 20 });
      await closeDb();
      setEnv({ DATABASE_URL: bouncer.url, DATABASE_URL_UNPOOLED: saved.DATABASE_URL, DATABASE_PREPARED_STATEMENTS: "false" });
    });

    afterAll(async () => {
      await closeDb();
      setEnv(saved);
      await bouncer?.stop();
    });

    it("signs in, reads the session and rotates the refresh token, all through the pooler", async () => {
      const before = await pooledTransactions();
      const { browser, sessionId } = await signedIn();
      expect((await browser.call(h(me), { path: "/api/me" })).status).toBe(200);

      const parent = browser.cookie(cookieNames().refresh)!;
      const rotated = await browser.call(h(refresh), { path: PATH, body: "" });
      expect(rotated.status).toBe(200);
      const child = await refreshTokenSetBy(rotated);
      // A retry with the old cookie inside the grace window converges on the same successor.
      expect(await refreshTokenSetBy(await refreshWith(parent))).toBe(child);
      expect((await browser.call(h(me), { path: "/api/me" })).status).toBe(200);
      expect(await countRows(refreshTokens, eq(refreshTokens.sessionId, sessionId))).toBe(2);
      // Positive control: this traffic went through PgBouncer, not around it.
      expect(await pooledTransactions()).toBeGreaterThan(before + 5);
    });

    it("migrated over the direct URL: the migrations' advisory lock did not stay behind on a pooled server session", async () => {
      // Opening the database migrated it (the app does outside production); a second run must not wait on the first's lock.
      await closeDb();
      await getDb();
      const direct = postgres(saved.DATABASE_URL!, { max: 1, onnotice: () => {} });
      try {
        // This database's only: advisory locks are per database, and other test files migrate theirs on the same server meanwhile.
        const held = await direct`select count(*)::int as n from pg_locks
          where locktype = 'advisory' and objid = 727274 and database = (select oid from pg_database where datname = current_database())`;
        expect(held[0]?.n).toBe(0);
      } finally {
        await direct.end({ timeout: 2 });
      }
    });

    it("hands 25 concurrent refreshes with one cookie the same successor, queued behind a held row lock", async () => {
      const { browser, sessionId } = await signedIn();
      const cookie = browser.cookie(cookieNames().refresh)!;
      const responses = await raceBehindRowLock(sessionId, 25, 10, () => refreshWith(cookie));
      expect(responses.map((r) => r.status)).toEqual(Array(25).fill(200));
      expect(new Set(await Promise.all(responses.map(refreshTokenSetBy))).size).toBe(1);
      expect(await countRows(refreshTokens, eq(refreshTokens.sessionId, sessionId))).toBe(2);
      expect(await countRows(refreshTokens, and(eq(refreshTokens.sessionId, sessionId), isNull(refreshTokens.rotatedAt)))).toBe(1);
      expect(await countRows(securityEvents, eq(securityEvents.type, "refresh_token_reuse"))).toBe(0);
    });

    it("refuses the session settings a direct connection sends at startup: why pooled mode leaves them out", async () => {
      const direct = postgres(bouncer.url, { max: 1, connection: { statement_timeout: 4000 }, onnotice: () => {} });
      try {
        await expect(direct`select 1`).rejects.toMatchObject({ code: "08P01", message: "unsupported startup parameter: statement_timeout" });
      } finally {
        await direct.end({ timeout: 2 });
      }
    });

    /** Three users sign in, refresh and read their session, some of it at once: what each step answered. */
    async function useTheApp(): Promise<Record<string, number>> {
      const tally: Record<string, number> = {};
      const count = (outcome: string) => (tally[outcome] = (tally[outcome] ?? 0) + 1);
      for (let round = 0; round < 3; round++) {
        const user = await createUser(`user${round}@example.com`);
        const browser = await loginAs(user).catch(() => null);
        count(browser ? "login 200" : "login refused");
        if (!browser) continue;
        for (let i = 0; i < 5; i++) count(`refresh ${(await browser.call(h(refresh), { path: PATH, body: "" })).status}`);
        const reads = await Promise.all(Array.from({ length: 10 }, () => browser.call(h(me), { path: "/api/me" })));
        for (const read of reads) count(`me ${read.status}`);
      }
      return tally;
    }

    it("answers every step with DATABASE_PREPARED_STATEMENTS=false", async () => {
      expect(await useTheApp()).toEqual({ "login 200": 3, "refresh 200": 15, "me 200": 30 });
    });

    const keepsPreparedStatements = "version" in pgbouncer && versionAtLeast(pgbouncer.version, 1, 21);
    it.skipIf(keepsPreparedStatements)("with prepared statements on, PgBouncer before 1.21 answers some steps wrongly", async () => {
      await closeDb();
      setEnv({ DATABASE_PREPARED_STATEMENTS: "true" });
      // What fails is logged as it would be in production.
      expectConsoleError(1000);
      try {
        const tally = await useTheApp();
        process.stdout.write(`prepared statements through PgBouncer ${bouncer.version}: ${JSON.stringify(tally)}\n`);
        expect(tally).not.toEqual({ "login 200": 3, "refresh 200": 15, "me 200": 30 });
      } finally {
        await closeDb();
        setEnv({ DATABASE_PREPARED_STATEMENTS: "false" });
      }
    });
  });
}
