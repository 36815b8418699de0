import { randomBytes } from "node:crypto";
import { test, expect } from "@playwright/test";
import { IP_LIMITS } from "../../lib/auth/limits/ip-limits";
import { PEER_IP_HEADER, PEER_PROOF_HEADER } from "../../lib/http/client-meta";
import { LAUNCHERS } from "../../scripts/lib/app-process";
import { uniqueEmail } from "../e2e/support/users";
import { EXTRA_PORTS, startExtraApp, type ExtraApp } from "./support/extra-app";
import { startForwardingProxy, type ForwardingProxy } from "./support/forwarding-proxy";
import { expectErrorShape } from "./support/http";
import { requestFrom, type PeerResponse } from "./support/peer-client";

// README Security, "A client choosing its own IP": the address the per-IP
// limits count by is the TCP peer only when server.mjs proves it wrote the
// header (a per-process secret beside it), or the hop TRUST_PROXY points at;
// otherwise it is unknown, and all unknown clients share one bucket. Each
// limit is spent with its real value, concurrently, by a client that names a
// new address every time (docs/decisions/0008-client-ip.md).

const ATTACKER = "127.0.0.2";
const BYSTANDER = "127.0.0.3";

// Three app starts, 2 x (10 signups + 30 logins) and the bcrypt work they cost.
test.describe.configure({ timeout: 180_000 });

/** What a client sends to choose its address: the peer header server.mjs writes, and a guess at its proof. */
const forgedPeer = (i: number): Record<string, string> => ({
  [PEER_IP_HEADER]: `203.0.113.${(i % 250) + 1}`,
  [PEER_PROOF_HEADER]: randomBytes(32).toString("base64url"),
});

/** A forged X-Forwarded-For chain, different every time. */
const forgedHops = (i: number): Record<string, string> => ({ "x-forwarded-for": `198.51.100.${(i % 250) + 1}, 192.0.2.${(i * 7) % 250}` });

type Endpoint = { name: string; limit: number; send: (from: string, origin: string, headers: Record<string, string>) => Promise<PeerResponse>; status: number };

const ENDPOINTS: Endpoint[] = [
  {
    name: "signup",
    limit: IP_LIMITS.signup.limit,
    send: (from, origin, headers) =>
      requestFrom(from, `${origin}/api/auth/signup`, { json: { name: "Mallory", email: uniqueEmail("ip"), password: randomBytes(12).toString("base64url") }, headers }),
    status: 202,
  },
  {
    name: "login",
    limit: IP_LIMITS.login.limit,
    send: (from, origin, headers) => requestFrom(from, `${origin}/api/auth/login`, { json: { email: uniqueEmail("ip"), password: "not the password at all" }, headers }),
    status: 401,
  },
  {
    name: "forgot-password",
    limit: IP_LIMITS.forgotPassword.limit,
    send: (from, origin, headers) => requestFrom(from, `${origin}/api/auth/forgot-password`, { json: { email: uniqueEmail("ip") }, headers }),
    status: 202,
  },
];

const FORGOT_PASSWORD = ENDPOINTS[2]!;

/** `limit` concurrent attempts from one machine, each naming another address: all answered, and the next one refused. */
// The sign-in limit's 30 attempts arrive at once: the hashing queue (bounded
// at 8 per thread by default, tested in password-hashing-busy.test.ts) must
// hold them all, or some would answer 503 before the limit is reached.
const ROOM_FOR_THE_BURST = { PASSWORD_HASH_QUEUE: "64" };

async function expectLimitAtRealValue({ name, limit, send, status }: Endpoint, origin: string, from: string, forge: (i: number) => Record<string, string>) {
  const answers = await Promise.all(Array.from({ length: limit }, (_, i) => send(from, origin, forge(i))));
  for (const [i, answer] of answers.entries()) expect(answer.status, `${name} attempt ${i + 1}: ${answer.body}`).toBe(status);
  const refused = await send(from, origin, forge(limit));
  expect(refused.status, `${name} past the limit: ${refused.body}`).toBe(429);
  expect(expectErrorShape(refused.body, name).error.code).toBe("rate_limited");
  expect(Number(refused.headers["retry-after"]), name).toBeGreaterThan(0);
}

test.describe("plain `next start`, no server.mjs", () => {
  let app: ExtraApp;
  test.beforeAll(async () => {
    app = await startExtraApp(EXTRA_PORTS.nextStart, ROOM_FOR_THE_BURST, LAUNCHERS.nextStart);
  });
  test.afterAll(async () => app?.stop());

  // Regression: under `next start` the peer header was whatever the client sent, so a new value escaped every per-IP limit.
  for (const endpoint of ENDPOINTS) {
    test(`${endpoint.name}: a client-set ${PEER_IP_HEADER} does not choose the bucket; no address is known, so every client shares one`, async () => {
      await expectLimitAtRealValue(endpoint, app.origin, ATTACKER, forgedPeer);
      // The documented cost of running without server.mjs or TRUST_PROXY: another machine is refused too.
      const other = await endpoint.send(BYSTANDER, app.origin, forgedPeer(999));
      expect(other.status, other.body).toBe(429);
    });
  }
});

test.describe("server.mjs (`npm start`)", () => {
  let app: ExtraApp;
  test.beforeAll(async () => {
    app = await startExtraApp(EXTRA_PORTS.serverMjs, ROOM_FOR_THE_BURST);
  });
  test.afterAll(async () => app?.stop());

  for (const endpoint of ENDPOINTS) {
    test(`${endpoint.name}: the real peer is counted whatever peer header and proof the client sends`, async () => {
      await expectLimitAtRealValue(endpoint, app.origin, ATTACKER, forgedPeer);
      // Another machine has its own allowance: its address was proven, so server.mjs overwrote the forged proof.
      const other = await endpoint.send(BYSTANDER, app.origin, forgedPeer(999));
      expect(other.status, other.body).toBe(endpoint.status);
    });
  }
});

test.describe("TRUST_PROXY=2 behind two proxies (a CDN in front of nginx)", () => {
  let app: ExtraApp;
  let inner: ForwardingProxy;
  let outer: ForwardingProxy;
  test.beforeAll(async () => {
    app = await startExtraApp(EXTRA_PORTS.twoProxies, { ...ROOM_FOR_THE_BURST, TRUST_PROXY: "2" });
    inner = await startForwardingProxy(EXTRA_PORTS.innerProxy, app.origin);
    outer = await startForwardingProxy(EXTRA_PORTS.outerProxy, inner.url);
  });
  test.afterAll(async () => {
    await outer?.close();
    await inner?.close();
    await app?.stop();
  });

  for (const endpoint of ENDPOINTS) {
    test(`${endpoint.name}: the hop the outer proxy appended is the client; hops the client prepended change nothing`, async () => {
      // X-Forwarded-For reaches the app as "<forged>, <forged>, 127.0.0.2, 127.0.0.1": the second from the right.
      await expectLimitAtRealValue(endpoint, outer.url, ATTACKER, forgedHops);
      // Not the right-most hop (the outer proxy's own address, the same for everyone): another client still gets in.
      const other = await endpoint.send(BYSTANDER, outer.url, forgedHops(999));
      expect(other.status, other.body).toBe(endpoint.status);
    });
  }

  test("a hop that is not an address is no bucket: the proven peer counts instead", async () => {
    // Past the CDN, straight to nginx: the hop TRUST_PROXY points at is the client's text.
    const garbage = (i: number) => ({ "x-forwarded-for": `not-an-address-${i}` });
    await expectLimitAtRealValue(FORGOT_PASSWORD, inner.url, ATTACKER, garbage);
    // That was nginx's own address, not everyone's: a client that comes through both proxies is still counted by its own.
    const proxied = await FORGOT_PASSWORD.send(BYSTANDER, outer.url, {});
    expect(proxied.status, proxied.body).toBe(FORGOT_PASSWORD.status);
  });
});
