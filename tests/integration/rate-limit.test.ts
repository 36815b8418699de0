import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { POST as forgotPassword } from "@/app/api/auth/forgot-password/route";
import { POST as login } from "@/app/api/auth/login/route";
import { refresh } from "../support/node-route";
import { POST as resendVerification } from "@/app/api/auth/resend-verification/route";
import { POST as signup } from "@/app/api/auth/signup/route";
import { POST as token } from "@/app/api/auth/token/route";
import { getDb } from "@/db/client";
import { emailOutbox, securityEvents } from "@/db/schema";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { IP_LIMITS } from "@/lib/auth/limits/ip-limits";
import { sealRefreshToken } from "@/lib/auth/sessions/refresh-token";
import { FREE_FAILURES } from "@/lib/auth/limits/login-throttle";
import { hitRateLimit } from "@/lib/auth/limits/rate-limit";
import { EMAILS_PER_ADDRESS } from "@/lib/email/address-cap";
import { resetEnvCache } from "@/lib/env";
import { PEER_IP_HEADER } from "@/lib/http/client-meta";
import { TestClient, type RouteHandler } from "../support/client";
import { advanceClock } from "../support/clock";
import { PASSWORD, createUser } from "../support/fixtures";
import { expectJsonError } from "../support/http";
import { countRows } from "../support/rows";

const h = (handler: unknown) => handler as RouteHandler;
const WRONG = "not the right password at all";

function postLogin(email: string, password: string, headers: Record<string, string> = {}) {
  return new TestClient().call(h(login), { path: "/api/auth/login", json: { email, password }, headers });
}

function trustProxy(on: boolean): void {
  process.env.TRUST_PROXY = String(on);
  resetEnvCache();
}

// Every failed login costs a real bcrypt compare: dozens of them take a while on a busy machine.
const SLOW = { timeout: 240_000 };

// Date stands still unless a test moves it, so slow hashing never eats a 1 s back-off.
beforeEach(() => advanceClock(0));
afterEach(() => trustProxy(false));

async function expectRateLimited(response: Response): Promise<number> {
  await expectJsonError(response.clone(), 429, "rate_limited");
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  return retryAfter;
}

describe("per-account login throttle", SLOW, () => {
  it(`refuses even the right password after ${FREE_FAILURES} failures, until the back-off is over`, async () => {
    const ada = await createUser("ada@example.com");
    for (let i = 0; i < FREE_FAILURES; i++) expect((await postLogin(ada.email, WRONG)).status).toBe(401);

    const retryAfter = await expectRateLimited(await postLogin(ada.email, PASSWORD));
    expect(retryAfter).toBe(1);
    expect(await countRows(securityEvents, eq(securityEvents.type, "sign_in_throttled"))).toBe(1);

    advanceClock(retryAfter);
    expect((await postLogin(ada.email, PASSWORD)).status).toBe(200);
    // The success ended the streak: one more failure is an ordinary 401.
    expect((await postLogin(ada.email, WRONG)).status).toBe(401);
  });

  it("doubles the back-off with every further failure", async () => {
    const ada = await createUser("ada@example.com");
    for (let i = 0; i < FREE_FAILURES; i++) await postLogin(ada.email, WRONG);
    advanceClock(1);
    expect((await postLogin(ada.email, WRONG)).status).toBe(401);
    expect(await expectRateLimited(await postLogin(ada.email, PASSWORD))).toBe(2);
  });

  it("throttles an unknown email exactly like a real one (no enumeration)", async () => {
    const ghost = "nobody@example.com";
    for (let i = 0; i < FREE_FAILURES; i++) expect((await postLogin(ghost, WRONG)).status).toBe(401);
    const response = await postLogin(ghost, PASSWORD);
    expect(await expectRateLimited(response)).toBe(1);

    const ada = await createUser("ada@example.com");
    for (let i = 0; i < FREE_FAILURES; i++) await postLogin(ada.email, WRONG);
    const real = await postLogin(ada.email, PASSWORD);
    expect(real.headers.get("retry-after")).toBe(response.headers.get("retry-after"));
    expect(await real.text()).toBe(await response.text());
  });
});

describe("per-IP login limit", SLOW, () => {
  // Distinct accounts, so the per-account throttle never triggers first.
  async function exhaust(headers: Record<string, string>): Promise<void> {
    for (let i = 0; i < IP_LIMITS.login.limit; i++) {
      expect((await postLogin(`user${i}@example.com`, WRONG, headers)).status).toBe(401);
    }
  }

  it("answers 429 past the limit; another address is unaffected; one IPv6 /64 is one bucket", async () => {
    await createUser("ada@example.com");
    await exhaust({ [PEER_IP_HEADER]: "2001:db8:1:2::1" });
    await expectRateLimited(await postLogin("ada@example.com", PASSWORD, { [PEER_IP_HEADER]: "2001:db8:1:2:ffff::9" }));
    expect((await postLogin("ada@example.com", PASSWORD, { [PEER_IP_HEADER]: "2001:db8:1:3::1" })).status).toBe(200);
    expect((await postLogin("ada@example.com", PASSWORD, { [PEER_IP_HEADER]: "203.0.113.7" })).status).toBe(200);

    advanceClock(IP_LIMITS.login.windowSeconds);
    expect((await postLogin("ada@example.com", PASSWORD, { [PEER_IP_HEADER]: "2001:db8:1:2::1" })).status).toBe(200);
  });

  it("ignores a rotating X-Forwarded-For when TRUST_PROXY is off", async () => {
    await createUser("ada@example.com");
    for (let i = 0; i < IP_LIMITS.login.limit; i++) {
      const headers = { [PEER_IP_HEADER]: "198.51.100.1", "x-forwarded-for": `10.0.${i}.1` };
      expect((await postLogin(`user${i}@example.com`, WRONG, headers)).status).toBe(401);
    }
    await expectRateLimited(await postLogin("ada@example.com", PASSWORD, { [PEER_IP_HEADER]: "198.51.100.1", "x-forwarded-for": "10.9.9.9" }));
  });

  it("takes the right-most X-Forwarded-For hop when TRUST_PROXY is on", async () => {
    trustProxy(true);
    await createUser("ada@example.com");
    // The client forges the left-hand hops; the proxy appends what it saw.
    for (let i = 0; i < IP_LIMITS.login.limit; i++) {
      const headers = { "x-forwarded-for": `10.0.${i}.1, 198.51.100.1` };
      expect((await postLogin(`user${i}@example.com`, WRONG, headers)).status).toBe(401);
    }
    await expectRateLimited(await postLogin("ada@example.com", PASSWORD, { "x-forwarded-for": "10.9.9.9, 198.51.100.1" }));
    expect((await postLogin("ada@example.com", PASSWORD, { "x-forwarded-for": "198.51.100.1, 198.51.100.2" })).status).toBe(200);
  });
});

describe("per-address email cap", SLOW, () => {
  it.each([
    { name: "signup", path: "/api/auth/signup", handler: signup, body: { name: "Mallory", email: "ada@example.com", password: PASSWORD }, answer: /^202 \{"status":"verification_sent"\}$/ },
    { name: "forgot-password", path: "/api/auth/forgot-password", handler: forgotPassword, body: { email: "ada@example.com" }, answer: /^202 / },
  ])("drops the email past the cap without changing the $name answer", async ({ path, handler, body, answer }) => {
    await createUser("ada@example.com");
    const answers = new Set<string>();
    for (let i = 0; i < EMAILS_PER_ADDRESS.limit + 2; i++) {
      // A fresh client IP each time, so only the per-address cap can bite.
      const response = await new TestClient().call(h(handler), { path, json: body, headers: { [PEER_IP_HEADER]: `203.0.113.${i + 1}` } });
      answers.add(`${response.status} ${await response.text()}`);
    }
    expect(answers.size).toBe(1);
    expect([...answers][0]).toMatch(answer);
    expect(await countRows(emailOutbox, eq(emailOutbox.toAddress, "ada@example.com"))).toBe(EMAILS_PER_ADDRESS.limit);

    advanceClock(EMAILS_PER_ADDRESS.windowSeconds);
    await new TestClient().call(h(forgotPassword), { path: "/api/auth/forgot-password", json: { email: "ada@example.com" } });
    expect(await countRows(emailOutbox, eq(emailOutbox.toAddress, "ada@example.com"))).toBe(EMAILS_PER_ADDRESS.limit + 1);
  });
});

describe("per-IP limits on every endpoint that has one", SLOW, () => {
  const ip = { [PEER_IP_HEADER]: "198.51.100.42" };
  const json = (path: string, handler: unknown, body: unknown) => () => new TestClient().call(h(handler), { path, json: body, headers: ip });
  const endpoints = [
    { name: "signup", limit: IP_LIMITS.signup.limit, send: json("/api/auth/signup", signup, { name: "Ada", email: "ada@example.com", password: "a long enough passphrase" }) },
    { name: "forgot-password", limit: IP_LIMITS.forgotPassword.limit, send: json("/api/auth/forgot-password", forgotPassword, { email: "ada@example.com" }) },
    {
      name: "resend-verification",
      limit: IP_LIMITS.resendVerification.limit,
      send: json("/api/auth/resend-verification", resendVerification, { email: "ada@example.com" }),
    },
    {
      name: "refresh",
      limit: IP_LIMITS.refresh.limit,
      // A well-sealed cookie for a token nobody issued: only those reach the database (anything else fails unsealing first).
      send: async () => {
        const cookie = `${cookieNames().refresh}=${sealRefreshToken("x".repeat(43), 3600)}`;
        return new TestClient().call(h(refresh), { path: "/api/auth/refresh", body: "", headers: { ...ip, cookie } });
      },
    },
    {
      name: "token (refresh_token grant)",
      limit: IP_LIMITS.refresh.limit,
      send: json("/api/auth/token", token, { grant_type: "refresh_token", refresh_token: "x".repeat(43) }),
    },
  ];

  it.each(endpoints)("$name: $limit attempts from one address, then 429 with Retry-After", async ({ limit, send }) => {
    for (let i = 0; i < limit; i++) expect((await send()).status).not.toBe(429);
    await expectRateLimited(await send());
  });

  it("token (password grant) shares the login allowance", async () => {
    await createUser("ada@example.com");
    // Different accounts, so the per-account throttle stays out of it.
    for (let i = 0; i < IP_LIMITS.login.limit; i++) {
      const attempt = await json("/api/auth/token", token, { grant_type: "password", email: `user${i}@example.com`, password: WRONG })();
      expect(attempt.status).toBe(400);
    }
    await expectRateLimited(await json("/api/auth/token", token, { grant_type: "password", email: "ada@example.com", password: PASSWORD })());
  });
});

describe("hitRateLimit", () => {
  it("never lets concurrent hits exceed the limit (one atomic upsert each)", async () => {
    const db = await getDb();
    const rule = { limit: 10, windowSeconds: 60 };
    const now = new Date();
    const results = await Promise.all(Array.from({ length: 30 }, () => hitRateLimit(db, "test:concurrent", rule, now)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(results.every((r) => r.retryAfterSeconds === 60)).toBe(true);
  });
});
