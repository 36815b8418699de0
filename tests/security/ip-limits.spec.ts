import { test, expect } from "@playwright/test";
import { IP_LIMITS } from "../../lib/auth/ip-limits";
import { uniqueEmail } from "../e2e/support/users";
import { EXTRA_PORTS, startExtraApp, type ExtraApp } from "./support/extra-app";
import { startForwardingProxy, type ForwardingProxy } from "./support/forwarding-proxy";
import { expectErrorShape } from "./support/http";
import { requestFrom, type PeerResponse } from "./support/peer-client";

// SECURITY.md: "Rotating X-Forwarded-For against the limiter". A client that
// invents a new X-Forwarded-For for every attempt is still one client: counted
// by the socket peer without TRUST_PROXY, and by the hop our own proxy appended
// with it. Two clients at different loopback addresses show the count is per
// client, not global. The limit is the app's own (lib/auth/ip-limits.ts), on
// instances of this test's own so nothing else spends it.

const LIMIT = IP_LIMITS.login.limit;
const ATTACKER = "127.0.0.2";
const BYSTANDER = "127.0.0.3";

// Two app starts (a fresh embedded database each) and 2 x 31 bcrypt-bound logins.
test.describe.configure({ timeout: 180_000 });

/** Unknown addresses, a new one each time: the per-account throttle never joins in. */
const attempt = (from: string, origin: string, forwardedFor: string): Promise<PeerResponse> =>
  requestFrom(from, `${origin}/api/auth/login`, {
    json: { email: uniqueEmail("xff"), password: "not the password at all" },
    headers: { "x-forwarded-for": forwardedFor },
  });

/** A forged chain, different every time. */
const forgedHops = (i: number) => `203.0.113.${i % 250}, 198.51.100.${(i * 7) % 250}`;

async function expectLimitHoldsAgainstRotation(origin: string): Promise<void> {
  // Batches of a few at a time: the count is atomic, and the 31st is sent only once all 30 have answered.
  for (let start = 0; start < LIMIT; start += 5) {
    const batch = Array.from({ length: Math.min(5, LIMIT - start) }, (_, k) => attempt(ATTACKER, origin, forgedHops(start + k)));
    for (const response of await Promise.all(batch)) {
      expect(response.status, response.body).toBe(401);
      expect(expectErrorShape(response.body).error.code).toBe("invalid_credentials");
    }
  }
  const limited = await attempt(ATTACKER, origin, forgedHops(LIMIT));
  expect(limited.status, limited.body).toBe(429);
  expect(expectErrorShape(limited.body).error.code).toBe("rate_limited");
  expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);

  // Another client, even claiming the attacker's forged hops, is not the attacker.
  const bystander = await attempt(BYSTANDER, origin, forgedHops(LIMIT));
  expect(bystander.status, bystander.body).toBe(401);
}

test.describe("without TRUST_PROXY", () => {
  let app: ExtraApp;
  test.beforeAll(async () => {
    app = await startExtraApp(EXTRA_PORTS.ipLimitDirect, { TRUST_PROXY: "false" });
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test(`${LIMIT + 1} logins from one client with ${LIMIT + 1} different X-Forwarded-For values: the last is 429`, async () => {
    await expectLimitHoldsAgainstRotation(app.origin);
  });
});

test.describe("with TRUST_PROXY behind a proxy that appends the peer", () => {
  let app: ExtraApp;
  let proxy: ForwardingProxy;
  test.beforeAll(async () => {
    app = await startExtraApp(EXTRA_PORTS.ipLimitBehindProxy, { TRUST_PROXY: "true" });
    proxy = await startForwardingProxy(EXTRA_PORTS.forwardingProxy, app.origin);
  });
  test.afterAll(async () => {
    await proxy?.close();
    await app?.stop();
  });

  test("forged hops prepended by the client change nothing: the proxy's hop is counted", async () => {
    await expectLimitHoldsAgainstRotation(proxy.url);
  });
});
