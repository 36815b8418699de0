import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, env, resetEnvCache } from "@/lib/env";
import { PEER_IP_HEADER, PEER_PROOF_HEADER, requestIp } from "@/lib/http/client-meta";
import { currentEnv, setEnv } from "@/tests/support/env-vars";

const saved = process.env.TRUST_PROXY;

function trustProxy(value: string | undefined): void {
  if (value === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = value;
  resetEnvCache();
}

afterEach(() => trustProxy(saved));

/** A request as server.mjs hands it on: the peer it saw, with its proof. */
function fromPeer(peer: string, headers: Record<string, string> = {}): Headers {
  return new Headers({ [PEER_IP_HEADER]: peer, [PEER_PROOF_HEADER]: env().DOORMAN_PEER_PROOF!, ...headers });
}

describe("TRUST_PROXY", () => {
  it.each([
    [undefined, 0],
    ["false", 0],
    ["0", 0],
    ["true", 1],
    ["1", 1],
    ["2", 2],
    ["10", 10],
  ])("%s counts %i proxies", (value, hops) => {
    trustProxy(value);
    expect(env().TRUST_PROXY).toBe(hops);
  });

  it.each(["yes", "-1", "1.5", "11", "2 "])("refuses %j, naming the variable", (value) => {
    trustProxy(value);
    expect(() => env()).toThrow(ConfigError);
    expect(() => env()).toThrow(/^TRUST_PROXY is invalid/);
  });
});

describe("requestIp", () => {
  // Regression: outside server.mjs a client could set the peer header itself and choose its rate-limit bucket.
  it("takes the peer address only with server.mjs's proof", () => {
    expect(requestIp(fromPeer("203.0.113.7"))).toBe("203.0.113.7");
    expect(requestIp(fromPeer("::ffff:203.0.113.7"))).toBe("203.0.113.7");
    expect(requestIp(new Headers({ [PEER_IP_HEADER]: "203.0.113.7" }))).toBeNull();
    const proof = env().DOORMAN_PEER_PROOF!;
    const wrong = `${proof.slice(0, -1)}${proof.endsWith("A") ? "B" : "A"}`;
    expect(requestIp(new Headers({ [PEER_IP_HEADER]: "203.0.113.7", [PEER_PROOF_HEADER]: wrong }))).toBeNull();
    expect(requestIp(new Headers({ [PEER_IP_HEADER]: "203.0.113.7", [PEER_PROOF_HEADER]: "" }))).toBeNull();
  });

  it("knows no address when this process has no proof to compare with (plain `next start`)", () => {
    const proof = env().DOORMAN_PEER_PROOF!;
    const headers = fromPeer("203.0.113.7");
    delete process.env.DOORMAN_PEER_PROOF;
    resetEnvCache();
    try {
      expect(requestIp(headers)).toBeNull();
      expect(requestIp(new Headers({ [PEER_IP_HEADER]: "203.0.113.7", [PEER_PROOF_HEADER]: "" }))).toBeNull();
    } finally {
      process.env.DOORMAN_PEER_PROOF = proof;
      resetEnvCache();
    }
  });

  it("ignores X-Forwarded-For without TRUST_PROXY", () => {
    trustProxy("false");
    expect(requestIp(fromPeer("198.51.100.1", { "x-forwarded-for": "203.0.113.7" }))).toBe("198.51.100.1");
    expect(requestIp(new Headers({ "x-forwarded-for": "203.0.113.7" }))).toBeNull();
  });

  it.each([
    ["1", "203.0.113.7", "203.0.113.7"],
    ["1", "10.0.0.1, 203.0.113.7", "203.0.113.7"],
    ["true", "10.0.0.1,203.0.113.7", "203.0.113.7"],
    // A CDN in front of nginx: the CDN appended the client, nginx the CDN.
    ["2", "10.0.0.1, 203.0.113.7, 192.0.2.50", "203.0.113.7"],
    ["2", "203.0.113.7, 192.0.2.50", "203.0.113.7"],
    ["2", "[2001:db8::7]:41234, 192.0.2.50:443", "2001:db8::7"],
    ["3", "10.0.0.1, 203.0.113.7, 192.0.2.50, 192.0.2.60", "203.0.113.7"],
  ])("TRUST_PROXY=%s takes the client from %j", (hops, forwardedFor, client) => {
    trustProxy(hops);
    expect(requestIp(fromPeer("192.0.2.99", { "x-forwarded-for": forwardedFor }))).toBe(client);
    expect(requestIp(new Headers({ "x-forwarded-for": forwardedFor }))).toBe(client);
  });

  it.each([
    ["1", undefined],
    ["1", ""],
    ["1", "not-an-ip"],
    ["1", "203.0.113.7, unknown"],
    ["2", "not-an-ip, 192.0.2.50"],
    ["2", "203.0.113.7 192.0.2.50"],
    // Fewer hops than proxies: the request did not come through all of them.
    ["2", "203.0.113.7"],
  ])("TRUST_PROXY=%s with X-Forwarded-For %j falls back to the proven peer, else to no address", (hops, forwardedFor) => {
    trustProxy(hops);
    const headers: Record<string, string> = forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor };
    expect(requestIp(fromPeer("192.0.2.99", headers))).toBe("192.0.2.99");
    expect(requestIp(new Headers(headers))).toBeNull();
  });

  it("never passes on a peer header that is not an address", () => {
    for (const peer of ["", "unknown", "203.0.113.7, 10.0.0.1", "x".repeat(100)]) expect(requestIp(fromPeer(peer))).toBeNull();
  });
});

describe("requestIp on a Vercel deployment", () => {
  const saved = currentEnv(["VERCEL", "VERCEL_ENV", "DATABASE_URL"]);

  function onVercel(vercelEnv: string | undefined): void {
    setEnv({ VERCEL: "1", VERCEL_ENV: vercelEnv, DATABASE_URL: "postgres://app@db.example.com/doorman" });
  }

  afterEach(() => setEnv(saved));

  it.each(["production", "preview"])("%s takes the address Vercel's proxy wrote in X-Real-IP, with no TRUST_PROXY", (vercelEnv) => {
    onVercel(vercelEnv);
    trustProxy(undefined);
    expect(requestIp(new Headers({ "x-real-ip": "203.0.113.7" }))).toBe("203.0.113.7");
    expect(requestIp(new Headers({ "x-real-ip": "2001:db8::7" }))).toBe("2001:db8::7");
  });

  it("reads nothing else: X-Forwarded-For hops and the peer header do not count there", () => {
    onVercel("production");
    trustProxy("1");
    expect(requestIp(new Headers({ "x-real-ip": "203.0.113.7", "x-forwarded-for": "198.51.100.1" }))).toBe("203.0.113.7");
    expect(requestIp(new Headers({ "x-forwarded-for": "198.51.100.1" }))).toBeNull();
    expect(requestIp(fromPeer("198.51.100.1"))).toBeNull();
  });

  it("knows no address when X-Real-IP is missing or not an address", () => {
    onVercel("preview");
    for (const value of ["", "unknown", "203.0.113.7, 10.0.0.1"]) expect(requestIp(new Headers({ "x-real-ip": value }))).toBeNull();
  });

  it("off Vercel, and under `vercel dev`, X-Real-IP is a header like any other", () => {
    expect(requestIp(new Headers({ "x-real-ip": "203.0.113.7" }))).toBeNull();
    onVercel("development");
    expect(requestIp(new Headers({ "x-real-ip": "203.0.113.7" }))).toBeNull();
    expect(requestIp(fromPeer("198.51.100.1", { "x-real-ip": "203.0.113.7" }))).toBe("198.51.100.1");
  });
});
