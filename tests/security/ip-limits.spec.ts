import { randomBytes } from "node:crypto";
import { test, expect } from "@playwright/test";
import { IP_LIMITS } from "../../lib/auth/limits/ip-limits";
import { REFRESH_COOKIE } from "../e2e/support/cookies";
import { uniqueEmail } from "../e2e/support/users";
import { EXTRA_PORTS, startExtraApp, type ExtraApp } from "./support/extra-app";
import { startForwardingProxy, type ForwardingProxy } from "./support/forwarding-proxy";
import { expectErrorShape } from "./support/http";
import { requestFrom, type PeerResponse } from "./support/peer-client";
import { sealRefresh } from "./support/tokens";

// SECURITY.md: "Rotating X-Forwarded-For against the limiter". A client that
// invents a new X-Forwarded-For for every attempt is still one client: counted
// by the socket peer without TRUST_PROXY, and by the hop our own proxy appended
// with it. Two clients at different loopback addresses show the count is per
// client, not global. The limits are the app's own (lib/auth/limits/ip-limits.ts), on
// instances of this test's own so nothing else spends them. The native
// clients' token endpoint shares them: its password grant spends the login
// allowance, its refresh grant the refresh one, so attempts alternate between
// the browser's route and the native grant, and once the allowance is spent
// both are refused.

const ATTACKER = "127.0.0.2";
const BYSTANDER = "127.0.0.3";
const WRONG = "not the password at all";

// Two app starts (a fresh embedded database each), 2 x 31 bcrypt-bound logins and 2 x 301 refreshes.
test.describe.configure({ timeout: 180_000 });

/** One way to spend an allowance, and its answer while the allowance lasts. */
type Way = { name: string; send: (from: string, origin: string, forwardedFor: string) => Promise<PeerResponse>; status: number; code: string };

type Allowance = { limit: number; ways: Way[]; batch: number };

/** Unknown addresses, a new one each time: the per-account throttle never joins in. */
const LOGIN: Allowance = {
  limit: IP_LIMITS.login.limit,
  // The count is atomic, and the attempt past the limit is sent only once every earlier one has answered.
  batch: 5,
  ways: [
    {
      name: "POST /api/auth/login",
      send: (from, origin, forwardedFor) =>
        requestFrom(from, `${origin}/api/auth/login`, { json: { email: uniqueEmail("xff"), password: WRONG }, headers: { "x-forwarded-for": forwardedFor } }),
      status: 401,
      code: "invalid_credentials",
    },
    {
      name: "the token endpoint's password grant",
      send: (from, origin, forwardedFor) =>
        requestFrom(from, `${origin}/api/auth/token`, {
          form: { grant_type: "password", username: uniqueEmail("xff"), password: WRONG },
          headers: { "x-forwarded-for": forwardedFor },
        }),
      status: 400,
      code: "invalid_grant",
    },
  ],
};

/** Refresh tokens nobody was given: the browser's sealed as the app seals them (so the handler reads them), the native one raw. */
const refreshAllowance = (app: ExtraApp): Allowance => ({
  limit: IP_LIMITS.refresh.limit,
  batch: 20,
  ways: [
    {
      name: "POST /api/auth/refresh",
      send: async (from, origin, forwardedFor) =>
        requestFrom(from, `${origin}/api/auth/refresh`, {
          method: "POST",
          headers: { "x-forwarded-for": forwardedFor, cookie: `${REFRESH_COOKIE}=${await sealRefresh(randomBytes(32).toString("base64url"), app.secrets.AUTH_SECRET)}` },
        }),
      status: 401,
      code: "invalid_session",
    },
    {
      name: "the token endpoint's refresh grant",
      send: (from, origin, forwardedFor) =>
        requestFrom(from, `${origin}/api/auth/token`, {
          json: { grant_type: "refresh_token", refresh_token: randomBytes(32).toString("base64url") },
          headers: { "x-forwarded-for": forwardedFor },
        }),
      status: 400,
      code: "invalid_grant",
    },
  ],
});

/** A forged chain, different every time. */
const forgedHops = (i: number) => `203.0.113.${i % 250}, 198.51.100.${(i * 7) % 250}`;

function expectAnswer(response: PeerResponse, status: number, code: string, context: string): void {
  expect(response.status, `${context}: ${response.body}`).toBe(status);
  expect(expectErrorShape(response.body, context).error.code, context).toBe(code);
}

async function expectLimitHoldsAgainstRotation(origin: string, { limit, ways, batch }: Allowance): Promise<void> {
  // Every way in turn, each attempt with a new forged X-Forwarded-For.
  const way = (i: number) => ways[i % ways.length]!;
  for (let start = 0; start < limit; start += batch) {
    const indexes = Array.from({ length: Math.min(batch, limit - start) }, (_, k) => start + k);
    const answers = await Promise.all(indexes.map((i) => way(i).send(ATTACKER, origin, forgedHops(i))));
    for (const [k, response] of answers.entries()) expectAnswer(response, way(indexes[k]!).status, way(indexes[k]!).code, `attempt ${indexes[k]! + 1} (${way(indexes[k]!).name})`);
  }
  // The allowance is spent, whichever way it is asked for.
  for (const [k, { name, send }] of ways.entries()) {
    const limited = await send(ATTACKER, origin, forgedHops(limit + k));
    expectAnswer(limited, 429, "rate_limited", `past the limit (${name})`);
    expect(Number(limited.headers["retry-after"]), name).toBeGreaterThan(0);
  }
  // Another client, even claiming the attacker's forged hops, is not the attacker.
  for (const { name, send, status, code } of ways) expectAnswer(await send(BYSTANDER, origin, forgedHops(limit)), status, code, `bystander (${name})`);
}

for (const [setting, env] of [
  ["without TRUST_PROXY", { TRUST_PROXY: "false" }],
  ["with TRUST_PROXY behind a proxy that appends the peer", { TRUST_PROXY: "true" }],
] as const) {
  test.describe(setting, () => {
    const behindProxy = env.TRUST_PROXY === "true";
    let app: ExtraApp;
    let proxy: ForwardingProxy | undefined;
    /** Where the clients connect: the app itself, or the proxy in front of it. */
    let origin: string;
    test.beforeAll(async () => {
      app = await startExtraApp(behindProxy ? EXTRA_PORTS.ipLimitBehindProxy : EXTRA_PORTS.ipLimitDirect, env);
      proxy = behindProxy ? await startForwardingProxy(EXTRA_PORTS.forwardingProxy, app.origin) : undefined;
      origin = proxy?.url ?? app.origin;
    });
    test.afterAll(async () => {
      await proxy?.close();
      await app?.stop();
    });

    const forged = behindProxy ? "forged hops prepended by the client change nothing: the proxy's hop is counted" : "a new X-Forwarded-For each time changes nothing";
    test(`sign-in, by the login route and the token endpoint's password grant: ${LOGIN.limit} attempts, then 429; ${forged}`, async () => {
      await expectLimitHoldsAgainstRotation(origin, LOGIN);
    });

    test(`refresh, by the refresh cookie and the token endpoint's refresh grant: ${IP_LIMITS.refresh.limit} attempts, then 429, on pages refreshed by the middleware too (cookies kept); ${forged}`, async () => {
      await expectLimitHoldsAgainstRotation(origin, refreshAllowance(app));

      // A browser at that address whose access token has expired: the middleware's refresh is
      // refused as well, and the answer says so (429, not the database's 503), keeping the cookies.
      const cookie = `${REFRESH_COOKIE}=${await sealRefresh(randomBytes(32).toString("base64url"), app.secrets.AUTH_SECRET)}`;
      const page = await requestFrom(ATTACKER, `${origin}/dashboard`, { headers: { cookie, "x-forwarded-for": forgedHops(1) } });
      expect(page.status, page.body).toBe(429);
      expect(Number(page.headers["retry-after"])).toBeGreaterThan(0);
      expect(page.body).toContain("<h1>Too many requests</h1>");
      expect(page.body).toContain("You are still signed in");
      expect(page.headers["set-cookie"]).toBeUndefined();
      const api = await requestFrom(ATTACKER, `${origin}/api/me`, { headers: { cookie, "x-forwarded-for": forgedHops(2) } });
      expectAnswer(api, 429, "rate_limited", "/api/me past the refresh limit");
      expect(Number(api.headers["retry-after"])).toBeGreaterThan(0);
    });
  });
}
