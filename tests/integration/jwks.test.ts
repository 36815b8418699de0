import { describe, expect, it } from "vitest";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { GET as jwks } from "@/app/.well-known/jwks.json/route";
import { ACCESS_TOKEN_AUDIENCE } from "@/lib/auth/edge/jwt";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { generateSigningKey } from "@/lib/auth/generate-secrets";
import { resetEnvCache } from "@/lib/env";
import { TestClient, type RouteHandler } from "../support/client";
import { createUser, loginAs } from "../support/fixtures";

const h = (handler: unknown) => handler as RouteHandler;

// Two configured keys, as in the middle of a rotation. Set before the key ring loads.
const signing = await generateSigningKey();
const retiring = await generateSigningKey();
process.env.JWT_SIGNING_KEYS = JSON.stringify([signing, retiring]);
resetEnvCache();

async function fetchJwks() {
  const response = await new TestClient().call(h(jwks), { path: "/.well-known/jwks.json" });
  expect(response.status).toBe(200);
  return { response, body: (await response.json()) as { keys: Record<string, unknown>[] } };
}

describe("GET /.well-known/jwks.json", () => {
  it("publishes every configured public key, and no private part", async () => {
    const { response, body } = await fetchJwks();
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(body.keys.map((key) => key.kid)).toEqual([signing.kid, retiring.kid]);
    for (const [index, key] of body.keys.entries()) {
      const configured = index === 0 ? signing : retiring;
      expect(key).toEqual({ kty: "EC", crv: "P-256", x: configured.x, y: configured.y, kid: configured.kid, alg: "ES256", use: "sig" });
      expect(key).not.toHaveProperty("d");
    }
    expect(JSON.stringify(body)).not.toContain(signing.d as string);
    expect(JSON.stringify(body)).not.toContain(retiring.d as string);
  });

  it("lets a resource server verify our access tokens with nothing but the published keys", async () => {
    const browser = await loginAs(await createUser());
    const access = browser.cookie(cookieNames().access)!;
    expect(decodeProtectedHeader(access).kid).toBe(signing.kid);
    const { body } = await fetchJwks();
    const { payload } = await jwtVerify(access, createLocalJWKSet(body as never), {
      algorithms: ["ES256"],
      audience: ACCESS_TOKEN_AUDIENCE,
      typ: "at+jwt",
    });
    expect(payload.sid).toEqual(expect.any(String));
  });
});
