import { expect, it } from "vitest";
import { GET as live } from "@/app/api/health/route";
import { GET as ready } from "@/app/api/health/ready/route";
import { TestClient, type RouteHandler } from "../support/client";
import { expectQueueStillFull, fillHashingQueue, useSmallHashingPool } from "../support/hashing-queue";
import { blackHole, closedPortUrl, databaseSwitch, expectUnavailable } from "../support/outage";
import { startPgProxy } from "../support/pg-proxy";

// The probes (docs/decisions/0026). Liveness answers while the process
// serves, whatever the database or the password hashing is doing. Readiness
// answers 200 while the database answers, and 503 with Retry-After within 5 s
// (contract invariant 8) while it refuses or stays silent; 200 again once it
// is back. PGlite runs in-process and never goes away, so an outage is a
// PostgreSQL server that does: on the PGlite project too, the app is pointed
// at a dead one and comes back to its embedded database.

useSmallHashingPool();

const h = (handler: unknown) => handler as RouteHandler;
const onPostgres = process.env.DOORMAN_TEST_DATABASE === "postgres";

const database = databaseSwitch();

const liveness = () => new TestClient().call(h(live), { path: "/api/health" });
const readiness = () => new TestClient().call(h(ready), { path: "/api/health/ready" });

async function expectAnswer(response: Response, body: unknown): Promise<void> {
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(await response.json()).toEqual(body);
}
const expectLive = async (response: Response) => expectAnswer(response, { status: "ok" });
const expectReady = async (response: Response) => expectAnswer(response, { status: "ready" });

/** The probe's answer, and how long it took. */
async function timed(probe: () => Promise<Response>): Promise<{ response: Response; ms: number }> {
  const started = Date.now();
  const response = await probe();
  return { response, ms: Date.now() - started };
}

it("both answer 200 with no session while the database answers", async () => {
  await expectLive(await liveness());
  await expectReady(await readiness());
});

it("a database refusing connections: readiness 503 with Retry-After, liveness 200; ready again once it is back", async () => {
  await database.to(await closedPortUrl());
  await expectUnavailable(await readiness());
  await expectLive(await liveness());

  await database.back();
  await expectReady(await readiness());
});

it("a database that accepts connections and never answers: readiness 503 within 5 seconds, liveness 200", async () => {
  const hole = await blackHole();
  try {
    await database.to(hole.url);
    const { response, ms } = await timed(readiness);
    expect(ms).toBeLessThan(5000);
    await expectUnavailable(response);
    await expectLive(await liveness());
  } finally {
    hole.close();
  }
});

it.runIf(onPostgres)(
  "a database that goes silent on open connections: readiness 503 within 5 seconds, liveness 200; ready again on the same connections once it answers",
  async () => {
    const proxy = await startPgProxy(process.env.DATABASE_URL!);
    try {
      await database.to(proxy.url);
      await expectReady(await readiness());

      proxy.pause();
      const { response, ms } = await timed(readiness);
      expect(ms).toBeLessThan(5000);
      await expectUnavailable(response);
      await expectLive(await liveness());

      // The network is back and nothing restarted: the instance is ready again by itself.
      proxy.resume();
      await expectReady(await readiness());
    } finally {
      await database.back();
      proxy.close();
    }
  },
);

it("both answer while every password-hashing thread is busy and its queue is full, and join no queue", async () => {
  const drained = fillHashingQueue();
  await expectLive(await liveness());
  await expectReady(await readiness());
  expectQueueStillFull();
  await drained;
});
