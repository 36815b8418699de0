import { afterEach, describe, expect, it, vi } from "vitest";
import { SignJWT, base64url, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { generateSigningKey } from "@/lib/auth/generate-secrets";
import { ACCESS_TOKEN_AUDIENCE, DOWNSTREAM_TOKEN_TTL_SECONDS, MAX_TOKEN_LENGTH, signAccessToken, signDownstreamToken, verifyAccessToken } from "@/lib/auth/edge/jwt";
import { rememberedTokenCount } from "@/lib/auth/edge/verified-tokens";
import { appOrigin, env, resetEnvCache } from "@/lib/env";

// Two configured keys, as during a rotation: the first signs, both verify.
// Set before anything loads the key ring (it is imported once per process).
const current = await generateSigningKey();
const previous = await generateSigningKey();
process.env.JWT_SIGNING_KEYS = JSON.stringify([current, previous]);
resetEnvCache();

const nowSeconds = () => Math.floor(Date.now() / 1000);
const ids = { userId: crypto.randomUUID(), sessionId: crypto.randomUUID() };

async function validToken(): Promise<string> {
  const { token } = await signAccessToken({ ...ids, role: "user", email: "ada@example.com", name: "Ada" });
  return token;
}

type Claims = Record<string, unknown>;

/** The claims a genuine token carries; attacks change one thing at a time. */
function genuineClaims(overrides: Claims = {}): Claims {
  const iat = nowSeconds();
  return {
    iss: appOrigin(),
    aud: ACCESS_TOKEN_AUDIENCE,
    sub: ids.userId,
    sid: ids.sessionId,
    role: "user",
    email: "ada@example.com",
    name: "Ada",
    iat,
    exp: iat + 900,
    jti: crypto.randomUUID(),
    ...overrides,
  };
}

async function signWith(
  jwk: Record<string, unknown>,
  claims: Claims,
  header: Record<string, unknown> = {},
): Promise<string> {
  const key = await importJWK({ ...jwk, alg: "ES256" } as JWK, "ES256");
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: jwk.kid as string, ...header })
    .sign(key);
}

/** Signed with the real configured private key: only the named claim is wrong. */
const signWithRealKey = (claims: Claims, header?: Record<string, unknown>) => signWith(current, claims, header);

async function attackerKey(kid = "attacker-key-1") {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  return { privateJwk: { ...(await exportJWK(privateKey)), kid }, publicJwk: { ...(await exportJWK(publicKey)), kid }, privateKey };
}

function unsigned(header: Claims, payload: Claims): string {
  const part = (value: Claims) => base64url.encode(JSON.stringify(value));
  return `${part(header)}.${part(payload)}.`;
}

describe("access token round trip", () => {
  it("carries every contract claim and the at+jwt type, and verifies", async () => {
    const token = await validToken();
    const header = decodeProtectedHeader(token);
    expect(header).toEqual({ alg: "ES256", typ: "at+jwt", kid: current.kid });

    const payload = decodeJwt(token);
    expect(payload).toMatchObject({
      iss: appOrigin(),
      aud: ACCESS_TOKEN_AUDIENCE,
      sub: ids.userId,
      sid: ids.sessionId,
      role: "user",
      jti: expect.any(String),
    });
    expect(typeof payload.iat).toBe("number");
    expect(payload.exp! - payload.iat!).toBe(env().ACCESS_TOKEN_TTL_SECONDS);

    const result = await verifyAccessToken(token);
    expect(result).toEqual({ ok: true, claims: expect.objectContaining({ sub: ids.userId, sid: ids.sessionId, role: "user" }) });
  });

  it("gives every token its own jti", async () => {
    expect(decodeJwt(await validToken()).jti).not.toBe(decodeJwt(await validToken()).jti);
  });

  it("verifies a token signed by the second configured key (rotation)", async () => {
    const token = await signWith(previous, genuineClaims());
    expect((await verifyAccessToken(token)).ok).toBe(true);
  });

  it("accepts the same claims signed with the real key (control for the attacks below)", async () => {
    expect((await verifyAccessToken(await signWithRealKey(genuineClaims()))).ok).toBe(true);
  });
});

describe("forged access tokens are rejected as invalid", () => {
  const expectInvalid = async (token: string) => expect(await verifyAccessToken(token)).toEqual({ ok: false, reason: "invalid" });

  it("alg: none", async () => {
    await expectInvalid(unsigned({ alg: "none", typ: "at+jwt", kid: current.kid }, genuineClaims()));
  });

  it("HS256 signed with the public key's bytes", async () => {
    const { d: _private, ...publicJwk } = current;
    for (const secret of [JSON.stringify(publicJwk), JSON.stringify({ kty: "EC", crv: "P-256", x: current.x, y: current.y })]) {
      const token = await new SignJWT(genuineClaims())
        .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: current.kid as string })
        .sign(new TextEncoder().encode(secret));
      await expectInvalid(token);
    }
  });

  it("an unknown kid", async () => {
    const attacker = await attackerKey("unknown-kid-42");
    await expectInvalid(await signWith(attacker.privateJwk, genuineClaims()));
  });

  it("a path-like kid", async () => {
    const attacker = await attackerKey("../../etc/passwd");
    await expectInvalid(await signWith(attacker.privateJwk, genuineClaims()));
    await expectInvalid(await signWith(attacker.privateJwk, genuineClaims(), { kid: "../../../../dev/null" }));
  });

  it("a jku header pointing at the attacker's key set", async () => {
    const attacker = await attackerKey();
    await expectInvalid(await signWith(attacker.privateJwk, genuineClaims(), { jku: "https://evil.example/jwks.json" }));
    // Even claiming a configured kid, the attacker's signature must not pass.
    await expectInvalid(
      await signWith(attacker.privateJwk, genuineClaims(), { kid: current.kid, jku: "https://evil.example/jwks.json" }),
    );
  });

  it("a jwk header embedding the attacker's key", async () => {
    const attacker = await attackerKey();
    const { kid: _kid, ...embedded } = attacker.publicJwk;
    await expectInvalid(await signWith(attacker.privateJwk, genuineClaims(), { jwk: embedded }));
    await expectInvalid(await signWith(attacker.privateJwk, genuineClaims(), { kid: current.kid, jwk: embedded }));
  });

  it("an x5u header", async () => {
    const attacker = await attackerKey();
    await expectInvalid(await signWith(attacker.privateJwk, genuineClaims(), { kid: current.kid, x5u: "https://evil.example/cert.pem" }));
  });

  it("a flipped payload byte", async () => {
    const token = await validToken();
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const bytes = base64url.decode(payload);
    // A privilege escalation that keeps the JSON well-formed, then a raw bit flip.
    const text = new TextDecoder().decode(bytes).replace('"role":"user"', '"role":"admin"');
    expect(text).toContain('"role":"admin"');
    await expectInvalid(`${header}.${base64url.encode(text)}.${signature}`);

    const flipped = new Uint8Array(bytes);
    flipped[10] = flipped[10]! ^ 0x01;
    await expectInvalid(`${header}.${base64url.encode(flipped)}.${signature}`);
  });

  it("a wrong issuer", async () => {
    await expectInvalid(await signWithRealKey(genuineClaims({ iss: "https://evil.example" })));
  });

  it("a wrong audience", async () => {
    await expectInvalid(await signWithRealKey(genuineClaims({ aud: "someone-else" })));
    await expectInvalid(await signWithRealKey(genuineClaims({ aud: ["someone-else"] })));
  });

  // Regression: jose accepts an `aud` array that merely includes the expected value.
  it("an audience list that includes doorman beside another audience", async () => {
    await expectInvalid(await signWithRealKey(genuineClaims({ aud: [ACCESS_TOKEN_AUDIENCE, "https://api.example.com"] })));
    await expectInvalid(await signWithRealKey(genuineClaims({ aud: [ACCESS_TOKEN_AUDIENCE] })));
  });

  it("a wrong typ (plain JWT)", async () => {
    await expectInvalid(await signWithRealKey(genuineClaims(), { typ: "JWT" }));
    const noTyp = await new SignJWT(genuineClaims())
      .setProtectedHeader({ alg: "ES256", kid: current.kid as string })
      .sign(await importJWK({ ...current, alg: "ES256" } as JWK, "ES256"));
    await expectInvalid(noTyp);
  });

  it("a not-before time in the future", async () => {
    await expectInvalid(await signWithRealKey(genuineClaims({ nbf: nowSeconds() + 3600 })));
  });

  it("an 8 KB token, even one that is otherwise genuine", async () => {
    const token = await signWithRealKey(genuineClaims({ padding: "x".repeat(8 * 1024) }));
    expect(token.length).toBeGreaterThan(MAX_TOKEN_LENGTH);
    await expectInvalid(token);
  });

  it("a token without sid or without jti", async () => {
    const { sid: _sid, ...withoutSid } = genuineClaims();
    const { jti: _jti, ...withoutJti } = genuineClaims();
    await expectInvalid(await signWithRealKey(withoutSid));
    await expectInvalid(await signWithRealKey(withoutJti));
  });

  it("empty and garbage strings", async () => {
    await expectInvalid("");
    await expectInvalid("not.a.jwt");
    await expectInvalid("a".repeat(100));
  });
});

describe("expired access tokens", () => {
  it("report the reason expired", async () => {
    const iat = nowSeconds() - 3600;
    const token = await signWithRealKey(genuineClaims({ iat, exp: iat + 900 }));
    expect(await verifyAccessToken(token)).toEqual({ ok: false, reason: "expired" });
  });
});

// Each process checks a token fully once and remembers the verdict
// (lib/auth/edge/verified-tokens.ts): these cases go through verifyAccessToken twice.
describe("remembered verdicts", () => {
  afterEach(() => {
    vi.useRealTimers();
    process.env.APP_URL = originalAppUrl;
    resetEnvCache();
  });
  const originalAppUrl = process.env.APP_URL;

  it("a verified token is remembered, and refused as expired once its exp passes", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const before = rememberedTokenCount();
    const token = await signWithRealKey(genuineClaims({ exp: nowSeconds() + 60 }));
    expect((await verifyAccessToken(token)).ok).toBe(true);
    expect(rememberedTokenCount()).toBe(before + 1);
    expect((await verifyAccessToken(token)).ok).toBe(true);

    vi.setSystemTime(Date.now() + (60 + env().JWT_CLOCK_TOLERANCE_SECONDS) * 1000);
    expect(await verifyAccessToken(token)).toEqual({ ok: false, reason: "expired" });
  });

  it("a genuine token's verdict never covers an altered copy", async () => {
    const token = await signWithRealKey(genuineClaims());
    expect((await verifyAccessToken(token)).ok).toBe(true);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === "A" ? "B" : "A"}${signature.at(-1)}`;
    const admin = base64url.encode(JSON.stringify({ ...decodeJwt(token), role: "admin" }));
    expect(await verifyAccessToken(`${header}.${payload}.${flipped}`)).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyAccessToken(`${header}.${admin}.${signature}`)).toEqual({ ok: false, reason: "invalid" });
  });

  it("a refused token is not remembered: it is checked again, and refused again", async () => {
    const before = rememberedTokenCount();
    const forged = await signWithRealKey(genuineClaims({ aud: "someone-else" }));
    expect((await verifyAccessToken(forged)).ok).toBe(false);
    expect((await verifyAccessToken(forged)).ok).toBe(false);
    expect(rememberedTokenCount()).toBe(before);
  });

  it("a token remembered under one issuer is refused once the issuer changes", async () => {
    const token = await validToken();
    expect((await verifyAccessToken(token)).ok).toBe(true);
    process.env.APP_URL = "https://elsewhere.example";
    resetEnvCache();
    expect(await verifyAccessToken(token)).toEqual({ ok: false, reason: "invalid" });
  });
});

// What callApi sends to a downstream API instead of the user's own token (docs/decisions/0016).
describe("tokens minted for a downstream API", () => {
  const DOWNSTREAM = "https://api.example.com";

  async function ownClaims() {
    const result = await verifyAccessToken(await validToken());
    if (!result.ok) throw new Error("the control token did not verify");
    return result.claims;
  }

  it("carry the same user and session, the downstream's origin as audience, and a minute to live", async () => {
    const claims = await ownClaims();
    const token = await signDownstreamToken(claims, DOWNSTREAM);
    expect(decodeProtectedHeader(token)).toEqual({ alg: "ES256", typ: "at+jwt", kid: current.kid });
    const payload = decodeJwt(token);
    expect(payload).toMatchObject({ iss: appOrigin(), aud: DOWNSTREAM, sub: claims.sub, sid: claims.sid, role: claims.role, email: claims.email });
    expect(payload.jti).not.toBe(claims.jti);
    expect(payload.exp! - payload.iat!).toBe(DOWNSTREAM_TOKEN_TTL_SECONDS);
  });

  it("never outlive the token they stand for", async () => {
    const claims = { ...(await ownClaims()), exp: nowSeconds() + 10 };
    expect(decodeJwt(await signDownstreamToken(claims, DOWNSTREAM)).exp).toBe(claims.exp);
  });

  it("are refused by Doorman, and never remembered as valid, even beside the user's own token", async () => {
    const claims = await ownClaims();
    const token = await signDownstreamToken(claims, DOWNSTREAM);
    const before = rememberedTokenCount();
    for (let round = 0; round < 2; round++) expect(await verifyAccessToken(token)).toEqual({ ok: false, reason: "invalid" });
    expect(rememberedTokenCount()).toBe(before);
  });
});
