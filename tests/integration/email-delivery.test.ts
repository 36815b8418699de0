import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as signup } from "@/app/api/auth/signup/route";
import { POST as forgotPassword } from "@/app/api/auth/forgot-password/route";
import { POST as resetPassword } from "@/app/api/auth/reset-password/route";
import { POST as verifyEmail } from "@/app/api/auth/verify-email/route";
import { GET as cronOutbox } from "@/app/api/cron/outbox/route";
import { getDb } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { generateAuthSecret } from "@/lib/auth/generate-secrets";
import { deliverDueEmails } from "@/lib/email/deliver";
import { deliveryFaultNotice, readEmailDeliveryFault } from "@/lib/email/provider-fault";
import { resetEnvCache } from "@/lib/env";
import { formatUtc } from "@/lib/format/time";
import { advanceClock } from "../support/clock";
import { expectConsoleError } from "../support/console-guard";
import { startFakeResend, type FakeEmail, type FakeResend } from "../support/fake-resend";
import { TestClient, type RouteHandler } from "../support/client";
import { callCron, TEST_CRON_SECRET } from "../support/cron";
import { createUser, PASSWORD, readEmail, tokenFromLink } from "../support/fixtures";
import { rowsContaining } from "../support/rows";

// The outbox against the real Resend SDK, pointed at a fake Resend server on
// 127.0.0.1 with RESEND_BASE_URL. Route handlers enqueue (without a provider
// key, so no after() is scheduled outside a request); the worker delivers.

const h = (handler: unknown) => handler as RouteHandler;
const ownSecret = process.env.AUTH_SECRET;
let fake: FakeResend;

beforeAll(async () => {
  fake = await startFakeResend();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  await fetch(`${fake.url}/__test/reset`, { method: "POST" });
});
afterEach(() => {
  vi.useRealTimers();
  delete process.env.RESEND_API_KEY;
  delete process.env.RESEND_BASE_URL;
  delete process.env.CRON_SECRET;
  process.env.AUTH_SECRET = ownSecret;
  resetEnvCache();
});

function useProvider(key = "re_test_key"): void {
  process.env.RESEND_API_KEY = key;
  process.env.RESEND_BASE_URL = fake.url;
  resetEnvCache();
}

/** Outside Next's request scope there is no after() to schedule a delivery with. */
function noProvider(): void {
  delete process.env.RESEND_API_KEY;
  resetEnvCache();
}

async function delivered(to?: string): Promise<FakeEmail[]> {
  return (await fetch(`${fake.url}/__test/emails${to ? `?to=${encodeURIComponent(to)}` : ""}`)).json();
}

async function failNext(status: number, count = 1, name?: string): Promise<void> {
  await fetch(`${fake.url}/__test/fail-next`, { method: "POST", body: JSON.stringify({ status, count, name }) });
}

async function signUp(email: string): Promise<void> {
  const response = await new TestClient().call(h(signup), { path: "/api/auth/signup", json: { name: "Ada", email, password: PASSWORD } });
  expect(response.status).toBe(202);
}

async function askForReset(email: string): Promise<void> {
  const response = await new TestClient().call(h(forgotPassword), { path: "/api/auth/forgot-password", json: { email } });
  expect(response.status).toBe(202);
}

function resetWith(token: string) {
  return new TestClient().call(h(resetPassword), { path: "/api/auth/reset-password", json: { token, password: "a new passphrase from the email" } });
}

async function outboxRow(to: string) {
  const db = await getDb();
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, to));
  return row!;
}

describe("email delivery", () => {
  it("sends a queued message once, through the Resend SDK, and records it as sent", async () => {
    await signUp("ada@example.com");
    useProvider();
    expect(await deliverDueEmails()).toEqual({ sent: 1, retried: 0, failed: 0 });
    const [email] = await delivered("ada@example.com");
    expect(email!.subject).toBe("Confirm your email address");
    expect(email!.text).toContain("http://localhost:3000/verify-email?token=");
    expect(email!.idempotencyKey).toMatch(/^doorman-outbox-/);
    const row = await outboxRow("ada@example.com");
    expect(row.sentAt).not.toBeNull();
    expect(row.providerMessageId).toBe(email!.id);
    expect(await deliverDueEmails()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await delivered()).toHaveLength(1);
  });

  it("keeps a message the provider failed (500) and sends it on a later attempt after the back-off", async () => {
    await signUp("ada@example.com");
    useProvider();
    await failNext(500);
    expect(await deliverDueEmails()).toEqual({ sent: 0, retried: 1, failed: 0 });
    const failed = await outboxRow("ada@example.com");
    expect(failed.lastError).toMatch(/^500/);
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // Still sealed for the retry, and still nowhere in clear.
    expect(failed.sealedBody).not.toBeNull();
    expect(await rowsContaining("/verify-email?token=")).toEqual([]);
    // Not due yet: the back-off holds.
    expect(await deliverDueEmails()).toEqual({ sent: 0, retried: 0, failed: 0 });
    vi.useFakeTimers({ toFake: ["Date"], now: failed.nextAttemptAt.getTime() + 1000 });
    expect(await deliverDueEmails()).toEqual({ sent: 1, retried: 0, failed: 0 });
    const [email] = await delivered("ada@example.com");
    expect(email!.text).toContain("/verify-email?token=");
    expect((await outboxRow("ada@example.com")).sealedBody).toBeNull();
  });

  it("retries after a dropped connection", async () => {
    await signUp("ada@example.com");
    useProvider();
    await failNext(0);
    expect(await deliverDueEmails()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect((await outboxRow("ada@example.com")).lastError).toMatch(/^network/);
  });

  it("records a 422 as a permanent failure and never sends it again", async () => {
    await signUp("ada@example.com");
    useProvider();
    await failNext(422);
    expect(await deliverDueEmails()).toEqual({ sent: 0, retried: 0, failed: 1 });
    const row = await outboxRow("ada@example.com");
    expect(row.failedAt).not.toBeNull();
    expect(row.lastError).toMatch(/^422 validation_error/);
    expect(row.sealedBody).toBeNull();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 24 * 3600 * 1000 });
    expect(await deliverDueEmails()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await delivered()).toHaveLength(0);
  });

  it("sends each message once when two workers race over one outbox", async () => {
    const addresses = Array.from({ length: 8 }, (_, i) => `user${i}@example.com`);
    for (const address of addresses) await signUp(address);
    useProvider();
    const reports = await Promise.all([deliverDueEmails(), deliverDueEmails(), deliverDueEmails()]);
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(addresses.length);
    const sent = await delivered();
    expect(sent).toHaveLength(addresses.length);
    expect(new Set(sent.map((e) => e.to[0])).size).toBe(addresses.length);
  });

  it("starts a link's lifetime when the message is sent, not when it was queued", async () => {
    const user = await createUser("ada@example.com");
    const queuedAt = Date.now();
    await new TestClient().call(h(forgotPassword), { path: "/api/auth/forgot-password", json: { email: user.email } });
    const token = tokenFromLink((await readEmail(user.email))!.textBody, "/reset-password");
    // The provider was down for 20 minutes; the message leaves then.
    useProvider();
    vi.useFakeTimers({ toFake: ["Date"], now: queuedAt + 20 * 60 * 1000 });
    expect((await deliverDueEmails()).sent).toBe(1);
    // 45 minutes after queuing, 25 after sending: still valid. (Provider off again:
    // outside Next's request scope there is no after() to schedule the notice with.)
    vi.setSystemTime(queuedAt + 45 * 60 * 1000);
    delete process.env.RESEND_API_KEY;
    resetEnvCache();
    const response = await new TestClient().call(h(resetPassword), {
      path: "/api/auth/reset-password",
      json: { token, password: "a new passphrase after the outage" },
    });
    expect(response.status).toBe(200);
  });
});

// Regression: the outbox kept every body, live verification and reset links included, in clear and forever.
describe("links at rest", () => {
  it.each([
    {
      name: "verification",
      pathname: "/verify-email",
      ask: (email: string) => signUp(email),
      follow: (token: string) => new TestClient().call(h(verifyEmail), { path: "/api/auth/verify-email", json: { token } }),
    },
    {
      name: "reset",
      pathname: "/reset-password",
      ask: async (email: string) => askForReset((await createUser(email)).email),
      follow: resetWith,
    },
  ])("no table holds the $name link before or after it is sent, and the link Resend got works", async ({ pathname, ask, follow }) => {
    await ask("ada@example.com");
    // Waiting: sealed, so neither the link nor its token is in any row.
    expect(await rowsContaining(`${pathname}?token=`)).toEqual([]);
    const token = tokenFromLink((await readEmail("ada@example.com"))!.textBody, pathname);
    expect(await rowsContaining(token)).toEqual([]);

    useProvider();
    expect(await deliverDueEmails()).toEqual({ sent: 1, retried: 0, failed: 0 });
    const [email] = await delivered("ada@example.com");
    expect(tokenFromLink(email!.text!, pathname)).toBe(token);
    expect(email!.html).toContain(`${pathname}?token=${token}`);
    // Sent: erased by the statement that recorded it sent.
    expect(await rowsContaining(token)).toEqual([]);
    expect(await rowsContaining(`${pathname}?token=`)).toEqual([]);
    const row = await outboxRow("ada@example.com");
    expect(row.sentAt).not.toBeNull();
    expect(row.sealedBody).toBeNull();

    noProvider();
    expect((await follow(token)).status).toBe(200);
  });

  it("never sends a link that expired waiting for the provider, erases it, and still sends the live ones", async () => {
    const early = await createUser("early@example.com");
    const late = await createUser("late@example.com");
    const queuedAt = Date.now();
    await askForReset(early.email);
    const expired = tokenFromLink((await readEmail(early.email))!.textBody, "/reset-password");
    vi.useFakeTimers({ toFake: ["Date"], now: queuedAt + 20 * 60 * 1000 });
    await askForReset(late.email);
    // The provider comes back 31 minutes after the first request: that link (30 minutes) died unsent.
    vi.setSystemTime(queuedAt + 31 * 60 * 1000);
    useProvider();
    const reports = await Promise.all([deliverDueEmails(), deliverDueEmails(), deliverDueEmails()]);
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(1);
    expect(await delivered(early.email)).toEqual([]);
    expect(await delivered(late.email)).toHaveLength(1);

    const dropped = await outboxRow(early.email);
    expect(dropped.sentAt).toBeNull();
    expect(dropped.failedAt).not.toBeNull();
    expect(dropped.sealedBody).toBeNull();
    expect(dropped.lastError).toMatch(/expired/);
    expect(await rowsContaining(expired)).toEqual([]);
    expect(await deliverDueEmails()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await delivered(early.email)).toEqual([]);
    noProvider();
    expect((await resetWith(expired)).status).toBe(400);
    const live = tokenFromLink((await delivered(late.email))[0]!.text!, "/reset-password");
    expect((await resetWith(live)).status).toBe(200);
  });

  it("sends only the newer of two reset links queued while the provider was down", async () => {
    const user = await createUser("ada@example.com");
    await askForReset(user.email);
    await askForReset(user.email);
    useProvider();
    expect(await deliverDueEmails()).toEqual({ sent: 1, retried: 0, failed: 0 });
    const sent = await delivered(user.email);
    expect(sent).toHaveLength(1);
    expect(await rowsContaining("/reset-password?token=")).toEqual([]);
    noProvider();
    expect((await resetWith(tokenFromLink(sent[0]!.text!, "/reset-password"))).status).toBe(200);
  });

  it("drops unsent, without sending, what was sealed under an AUTH_SECRET since rotated", async () => {
    await signUp("before@example.com");
    process.env.AUTH_SECRET = generateAuthSecret();
    resetEnvCache();
    await signUp("after@example.com");
    useProvider();
    expect(await deliverDueEmails()).toEqual({ sent: 1, retried: 0, failed: 1 });
    expect(await delivered("before@example.com")).toEqual([]);
    expect(await delivered("after@example.com")).toHaveLength(1);
    const dropped = await outboxRow("before@example.com");
    expect(dropped.sealedBody).toBeNull();
    expect(dropped.lastError).toMatch(/AUTH_SECRET/);
  });
});

const NOTHING_DUE = { sent: 0, retried: 0, failed: 0 };

/** The structured lines logged at error level during this test, parsed. */
function errorLines(): Record<string, unknown>[] {
  return vi.mocked(console.error).mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
}

describe("the retry schedule", () => {
  // Each attempt is made the moment it is due, on a clock that moves only when told.
  it.each([
    { answer: "500", status: 500, waits: [30, 60, 120, 240, 480, 960, 1920], gaveUpAfter: 3810 },
    { answer: "dropped connection", status: 0, waits: [30, 60, 120, 240, 480, 960, 1920], gaveUpAfter: 3810 },
    { answer: "422", status: 422, waits: [], gaveUpAfter: 0 },
  ])("after each $answer, waits $waits seconds and gives up $gaveUpAfter s after the first attempt", async ({ status, waits, gaveUpAfter }) => {
    await signUp("ada@example.com");
    useProvider();
    await failNext(status, 100);
    advanceClock(0);
    const firstAttemptAt = Date.now();
    const seen: number[] = [];
    for (;;) {
      const report = await deliverDueEmails();
      const row = await outboxRow("ada@example.com");
      expect(row.attempts).toBe(seen.length + 1);
      if (report.failed === 1) break;
      expect(report).toEqual({ sent: 0, retried: 1, failed: 0 });
      const wait = (row.nextAttemptAt.getTime() - Date.now()) / 1000;
      seen.push(wait);
      // A second early it is not due; on time it is.
      advanceClock(wait - 1);
      expect(await deliverDueEmails()).toEqual(NOTHING_DUE);
      advanceClock(1);
    }
    expect(seen).toEqual(waits);
    const row = await outboxRow("ada@example.com");
    expect(row.failedAt!.getTime() - firstAttemptAt).toBe(gaveUpAfter * 1000);
    expect(row.sealedBody).toBeNull();
    advanceClock(24 * 3600);
    expect(await deliverDueEmails()).toEqual(NOTHING_DUE);
    expect(await delivered()).toEqual([]);
  });

  // Regression: a wrong RESEND_API_KEY (401/403) failed every message for good at its first attempt.
  it.each([
    { status: 401, name: "missing_api_key", refusal: "Resend refused the API key (401)" },
    { status: 403, name: "invalid_api_key", refusal: "Resend refused the API key (403)" },
    { status: 403, name: "validation_error", refusal: "Resend refused the sending domain (403)" },
    { status: 422, name: "invalid_from_address", refusal: "Resend refused the sender address (422)" },
  ])("never gives up while Resend answers $status $name, trying every minute, and sends once it stops", async ({ status, name, refusal }) => {
    await signUp("ada@example.com");
    useProvider();
    await failNext(status, 1000, name);
    advanceClock(0);
    const firstAttemptAt = Date.now();
    // Seventy minutes: longer than an ordinary failure takes to give up (3,810 s).
    const runs = 70;
    for (let run = 0; run < runs; run++) {
      expectConsoleError();
      expect(await deliverDueEmails()).toEqual({ sent: 0, retried: 1, failed: 0 });
      const row = await outboxRow("ada@example.com");
      expect({ attempts: row.attempts, failedAt: row.failedAt, held: row.sealedBody !== null }).toEqual({ attempts: 0, failedAt: null, held: true });
      expect(row.nextAttemptAt.getTime() - Date.now()).toBe(60_000);
      advanceClock(59);
      expect(await deliverDueEmails()).toEqual(NOTHING_DUE);
      advanceClock(1);
    }
    expect(errorLines()).toHaveLength(runs);
    expect(errorLines()[0]).toMatchObject({ event: "email.provider_refused_configuration", status, code: name, fault: refusal, held: 1 });
    const fault = await readEmailDeliveryFault();
    expect(fault).toMatchObject({ status, code: name, waiting: 1 });
    expect(fault!.firstSeenAt.getTime()).toBe(firstAttemptAt);

    await fetch(`${fake.url}/__test/reset`, { method: "POST" });
    expect(await deliverDueEmails()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await delivered("ada@example.com")).toHaveLength(1);
    expect(await readEmailDeliveryFault()).toBeNull();
  });
});

describe("a refused configuration", () => {
  async function queueVerificationAndReset() {
    await signUp("ada@example.com");
    const verification = tokenFromLink((await readEmail("ada@example.com"))!.textBody, "/verify-email");
    const bob = await createUser("bob@example.com");
    await askForReset(bob.email);
    const reset = tokenFromLink((await readEmail(bob.email))!.textBody, "/reset-password");
    return { verification, reset };
  }

  const followVerification = (token: string) => new TestClient().call(h(verifyEmail), { path: "/api/auth/verify-email", json: { token } });

  it("holds every message while the API key is refused, says so once per run and on /admin, and sends them, links working, once it is fixed", async () => {
    const tokens = await queueVerificationAndReset();
    useProvider("mistyped-resend-key");
    advanceClock(0);
    const refusedAt = new Date();
    expectConsoleError();
    expect(await deliverDueEmails()).toEqual({ sent: 0, retried: 2, failed: 0 });
    // One line for the run, not one per message; the status and the fault, never the key.
    const [line, ...more] = vi.mocked(console.error).mock.calls;
    expect(more).toEqual([]);
    expect(JSON.parse(String(line![0]))).toMatchObject({
      level: "error",
      event: "email.provider_refused_configuration",
      status: 403,
      code: "invalid_api_key",
      fault: "Resend refused the API key (403)",
      held: 2,
    });
    expect(String(line![0])).not.toContain("mistyped-resend-key");
    expect(await rowsContaining("mistyped-resend-key")).toEqual([]);
    for (const to of ["ada@example.com", "bob@example.com"]) {
      const row = await outboxRow(to);
      expect({ attempts: row.attempts, failedAt: row.failedAt, sealed: row.sealedBody !== null }).toEqual({ attempts: 0, failedAt: null, sealed: true });
      expect(row.lastError).toMatch(/^403 invalid_api_key/);
    }
    const fault = await readEmailDeliveryFault();
    expect(deliveryFaultNotice(fault!)).toBe(
      `Email is not being delivered: Resend refused the API key (403) at ${formatUtc(refusedAt)}. 2 messages are waiting: they go out once it is fixed. Check RESEND_API_KEY.`,
    );

    // Ten minutes later it is still refused: the notice says since when.
    advanceClock(10 * 60);
    expectConsoleError();
    expect(await deliverDueEmails()).toEqual({ sent: 0, retried: 2, failed: 0 });
    expect(deliveryFaultNotice((await readEmailDeliveryFault())!)).toBe(
      `Email is not being delivered: Resend refused the API key (403) at ${formatUtc(new Date())}. It has refused since ${formatUtc(refusedAt)}. 2 messages are waiting: they go out once it is fixed. Check RESEND_API_KEY.`,
    );

    // Fixed: both go out on the next run that finds them due, and the notice is gone.
    useProvider();
    expect(await deliverDueEmails()).toEqual(NOTHING_DUE);
    advanceClock(60);
    expect(await deliverDueEmails()).toEqual({ sent: 2, retried: 0, failed: 0 });
    expect(await readEmailDeliveryFault()).toBeNull();
    const [verification] = await delivered("ada@example.com");
    const [reset] = await delivered("bob@example.com");
    expect(tokenFromLink(verification!.text!, "/verify-email")).toBe(tokens.verification);
    expect(tokenFromLink(reset!.text!, "/reset-password")).toBe(tokens.reset);
    noProvider();
    expect((await followVerification(tokens.verification)).status).toBe(200);
    expect((await resetWith(tokens.reset)).status).toBe(200);
  });

  it("erases unsent a reset link that expired while the key was refused, and still sends the verification", async () => {
    const tokens = await queueVerificationAndReset();
    useProvider("mistyped-resend-key");
    expectConsoleError();
    expect(await deliverDueEmails()).toEqual({ sent: 0, retried: 2, failed: 0 });
    // Fixed 31 minutes later: the reset link (30 minutes) died waiting.
    advanceClock(31 * 60);
    useProvider();
    expect(await deliverDueEmails()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await delivered("bob@example.com")).toEqual([]);
    const dropped = await outboxRow("bob@example.com");
    expect(dropped.lastError).toMatch(/expired/);
    expect(dropped.sealedBody).toBeNull();
    expect(await rowsContaining(tokens.reset)).toEqual([]);
    noProvider();
    expect((await resetWith(tokens.reset)).status).toBe(400);
    expect((await followVerification(tokens.verification)).status).toBe(200);
  });
});

describe("GET /api/cron/outbox", () => {
  const call = (authorization?: string) => callCron(cronOutbox, "/api/cron/outbox", authorization);

  it("does not exist without CRON_SECRET", async () => {
    expect((await call("Bearer anything-at-all-here")).status).toBe(404);
  });

  it("refuses a missing or wrong secret and delivers with the right one", async () => {
    process.env.CRON_SECRET = TEST_CRON_SECRET;
    await signUp("ada@example.com");
    useProvider();
    expect((await call()).status).toBe(401);
    expect((await call("Bearer wrong-secret-0123456789abcdef")).status).toBe(401);
    expect(await delivered()).toHaveLength(0);
    const response = await call(`Bearer ${TEST_CRON_SECRET}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await delivered("ada@example.com")).toHaveLength(1);
  });
});

describe.runIf(process.env.DOORMAN_TEST_DATABASE === "postgres")("npm run outbox", () => {
  it("sends what is due and exits", async () => {
    await signUp("ada@example.com");
    // Asynchronously: the fake Resend server answers from this very process.
    const { stdout } = await promisify(execFile)("npm", ["run", "-s", "outbox"], {
      env: {
        ...process.env,
        RESEND_API_KEY: "re_test_key",
        RESEND_BASE_URL: fake.url,
        EMAIL_FROM: "Doorman <no-reply@doorman.test>",
        NODE_ENV: "production",
      },
    });
    expect(stdout).toContain("Outbox: 1 sent, 0 to retry later, 0 failed for good.");
    expect(await delivered("ada@example.com")).toHaveLength(1);
  });
});
