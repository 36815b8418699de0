import { describe, expect, it } from "vitest";
import { and, eq, isNull, like } from "drizzle-orm";
import { decodeJwt } from "jose";
import { refresh } from "../support/node-route";
import { GET as me } from "@/app/api/me/route";
import { getDb } from "@/db/client";
import { rateLimits, refreshTokens, securityEvents, sessions } from "@/db/schema";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { hashToken, unsealRefreshToken } from "@/lib/auth/sessions/refresh-token";
import { rotateRefreshToken } from "@/lib/auth/sessions/rotate-refresh-token";
import { DeadlineExceededError, withDeadline } from "@/lib/deadline";
import { env } from "@/lib/env";
import type { RouteHandler } from "../support/client";
import { advanceClock } from "../support/clock";
import { createUser, loginAs } from "../support/fixtures";
import { databaseSwitch, expectUnavailable } from "../support/outage";
import { startPgProxy } from "../support/pg-proxy";
import { holdSessionRowLock } from "../support/row-lock";
import { countRows } from "../support/rows";

// Review finding 7: the database deadline (lib/deadline.ts) answered 503 and
// let the work go on, so a rotation could commit behind that "try again"; the
// browser kept the parent, and its next refresh after the grace window was
// taken for theft. Now the deadline cancels what it can, and a rotation it
// could not stop converges later (docs/decisions/0021). PostgreSQL only:
// PGlite runs in-process and never goes silent.

const h = (handler: unknown) => handler as RouteHandler;
const PATH = "/api/auth/refresh";
const NO_META = { ip: null, userAgent: null };
const onPostgres = process.env.DOORMAN_TEST_DATABASE === "postgres";

const database = databaseSwitch();

async function signedIn() {
  const browser = await loginAs(await createUser("ada@example.com"));
  const names = cookieNames();
  const raw = unsealRefreshToken(browser.cookie(names.refresh))!;
  return { browser, raw, sessionId: decodeJwt(browser.cookie(names.access)!).sid as string };
}

async function tokenRow(raw: string) {
  const [row] = await (await getDb()).select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashToken(raw)));
  return row!;
}

const reuseEvents = () => countRows(securityEvents, eq(securityEvents.type, "refresh_token_reuse"));

describe.runIf(onPostgres)("a refresh cut off by the database deadline", () => {
  it("commits behind its 503 when the answer is lost; the kept cookie converges after the grace window: no theft, session alive", async () => {
    // Regression (review finding 7): the old cookie, presented later, revoked the session with a false theft event.
    const { browser, raw, sessionId } = await signedIn();
    const proxy = await startPgProxy(process.env.DATABASE_URL!);
    try {
      await database.to(proxy.url);
      // The network goes silent the moment the rotation is sent: PostgreSQL runs and commits it, the app never hears back.
      const lost = proxy.loseAnswerTo("with hit as (insert into rate_limits");
      const started = Date.now();
      const response = await browser.call(h(refresh), { path: PATH, body: "" });
      await lost;
      expect(Date.now() - started).toBeLessThan(5000);
      await expectUnavailable(response);
    } finally {
      await database.back();
      proxy.close();
    }
    // What the browser was never told: its token did rotate.
    expect((await tokenRow(raw)).rotatedAt).toBeInstanceOf(Date);

    advanceClock(env().REFRESH_REUSE_GRACE_SECONDS + 1);
    expect((await browser.call(h(refresh), { path: PATH, body: "" })).status).toBe(200);
    expect((await browser.call(h(me), { path: "/api/me" })).status).toBe(200);
    expect(await reuseEvents()).toBe(0);
    expect(await countRows(sessions, and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))).toBe(1);
  });

  it("cancels a rotation still waiting on PostgreSQL when the deadline fires: nothing rotates", async () => {
    const { raw, sessionId } = await signedIn();
    // The rotation queues behind a lock held from outside, as behind a slow transaction.
    const lock = await holdSessionRowLock(sessionId);
    let abandoned!: Promise<unknown>;
    const refreshing = withDeadline(() => (abandoned = rotateRefreshToken(raw, { kind: "browser", meta: NO_META, now: new Date() })), 500);
    await lock.waitForWaiters(1);
    await expect(refreshing).rejects.toBeInstanceOf(DeadlineExceededError);

    // Cancelled, it gives up while the lock is still held (57014); left running, it would rotate once the lock goes.
    const outcome = abandoned.then(
      () => "rotated",
      (error: { cause?: { code?: string } }) => error.cause?.code,
    );
    await Promise.race([outcome, new Promise((resolve) => setTimeout(resolve, 1000))]);
    await lock.release();
    expect(await outcome).toBe("57014");
    expect((await tokenRow(raw)).rotatedAt).toBeNull();
  });

  it("rolls back a transaction that was still working when the deadline fired", async () => {
    const db = await getDb();
    const row = (key: string) => ({ key: `deadline:${key}`, count: 1, windowStartedAt: new Date() });
    let abandoned!: Promise<unknown>;
    const work = withDeadline(
      () =>
        (abandoned = db.transaction(async (tx) => {
          await tx.insert(rateLimits).values(row("before"));
          await new Promise((resolve) => setTimeout(resolve, 400));
          await tx.insert(rateLimits).values(row("after"));
        })),
      200,
    );
    await expect(work).rejects.toBeInstanceOf(DeadlineExceededError);
    // The statement after the deadline is refused before it is sent, so the transaction rolls back.
    await expect(abandoned).rejects.toMatchObject({ cause: expect.any(DeadlineExceededError) });
    expect(await countRows(rateLimits, like(rateLimits.key, "deadline:%"))).toBe(0);

    // Positive control: the same transaction with time to spare commits both rows.
    await withDeadline(() => db.transaction(async (tx) => void (await tx.insert(rateLimits).values([row("a"), row("b")]))), 2000);
    expect(await countRows(rateLimits, like(rateLimits.key, "deadline:%"))).toBe(2);
  });
});
