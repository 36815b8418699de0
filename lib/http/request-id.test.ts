import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { FORWARDED_REQUEST_ID_SIGNATURE_HEADER, signClientIp, signRequestId } from "@/lib/http/forwarded-client";
import { arrivingRequestId, handedOnRequestId, isWellFormedRequestId, vouchedRequestId } from "@/lib/http/request-id";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PROXYS_ID = "5f3c1e0b9a8d4c7e2f1a0b9c8d7e6f5a";

function trustProxy(value: string | undefined): void {
  if (value === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = value;
  resetEnvCache();
}
afterEach(() => trustProxy(undefined));

const withId = (id: string, extra: Record<string, string> = {}) => new Headers({ "x-request-id": id, ...extra });

describe("request ids", () => {
  it("accept the usual proxies' forms and nothing that could bend a log line or a header", () => {
    for (const good of [PROXYS_ID, crypto.randomUUID(), "iad1::iad1::8x7k2-1765090000000-0a1b2c3d4e5f", "req_0123456789"]) {
      expect(isWellFormedRequestId(good), good).toBe(true);
    }
    for (const bad of ["", "short", `${PROXYS_ID}\n{"level":"info"}`, 'abc"defghij', "a b c d e f g h", "-starts-with-a-dash", "x".repeat(129), null, undefined]) {
      expect(isWellFormedRequestId(bad), String(bad)).toBe(false);
    }
  });

  it("from a client are replaced unless TRUST_PROXY says a proxy sets them", () => {
    expect(arrivingRequestId(withId(PROXYS_ID))).toMatch(UUID);
    trustProxy("1");
    expect(arrivingRequestId(withId(PROXYS_ID))).toBe(PROXYS_ID);
    expect(arrivingRequestId(withId(`${PROXYS_ID} "level":"info"`))).toMatch(UUID);
    expect(arrivingRequestId(new Headers())).toMatch(UUID);
  });

  it("handed on by the middleware are kept; a malformed or missing one is replaced", () => {
    expect(handedOnRequestId(withId(PROXYS_ID))).toBe(PROXYS_ID);
    expect(handedOnRequestId(withId("bad id"))).toMatch(UUID);
    expect(handedOnRequestId(new Headers())).toMatch(UUID);
  });

  it("reach the refresh endpoint only with the middleware's signature, which no other signature replaces", async () => {
    const signed = withId(PROXYS_ID, { [FORWARDED_REQUEST_ID_SIGNATURE_HEADER]: await signRequestId(PROXYS_ID) });
    expect(await vouchedRequestId(signed)).toBe(PROXYS_ID);
    expect(await vouchedRequestId(withId(PROXYS_ID))).toMatch(UUID);
    const otherId = withId(PROXYS_ID, { [FORWARDED_REQUEST_ID_SIGNATURE_HEADER]: await signRequestId("another-request-id") });
    expect(await vouchedRequestId(otherId)).toMatch(UUID);
    // The middleware signs client IPs with the same key: that signature is not one for an id.
    const ipSignature = withId(PROXYS_ID, { [FORWARDED_REQUEST_ID_SIGNATURE_HEADER]: await signClientIp(PROXYS_ID) });
    expect(await vouchedRequestId(ipSignature)).toMatch(UUID);
  });
});
