import { describe, expect, it } from "vitest";
import type { AccessClaims } from "@/lib/auth/edge/jwt";
import { MAX_REMEMBERED_TOKENS, recallVerifiedToken, rememberVerifiedToken, rememberedTokenCount } from "@/lib/auth/edge/verified-tokens";

const ISSUER = "https://doorman.example";

function claims(exp: number): AccessClaims {
  return { sub: "u", sid: "s", role: "user", email: "ada@example.com", name: "Ada", iat: exp - 900, exp, jti: crypto.randomUUID() };
}

const at = (nowSeconds: number, issuer = ISSUER) => ({ nowSeconds, toleranceSeconds: 5, issuer });

describe("remembered access-token verdicts", () => {
  it("answer for the exact token text only", () => {
    const token = `header.payload.${crypto.randomUUID()}`;
    rememberVerifiedToken(token, claims(1000), ISSUER);
    expect(recallVerifiedToken(token, at(500))).toEqual({ ok: true, claims: expect.objectContaining({ exp: 1000, sub: "u" }) });
    expect(recallVerifiedToken(`${token}x`, at(500))).toBeUndefined();
    expect(recallVerifiedToken(token.slice(0, -1), at(500))).toBeUndefined();
  });

  it("turn to expired at jose's boundary (exp <= now - tolerance), and are then forgotten", () => {
    const token = `header.payload.${crypto.randomUUID()}`;
    rememberVerifiedToken(token, claims(1000), ISSUER);
    expect(recallVerifiedToken(token, at(1004))?.ok).toBe(true);
    expect(recallVerifiedToken(token, at(1005))).toEqual({ ok: false, reason: "expired" });
    expect(recallVerifiedToken(token, at(900))).toBeUndefined();
  });

  it("are not used under another issuer", () => {
    const token = `header.payload.${crypto.randomUUID()}`;
    rememberVerifiedToken(token, claims(1000), ISSUER);
    expect(recallVerifiedToken(token, at(500, "https://other.example"))).toBeUndefined();
  });

  it(`stay bounded at ${MAX_REMEMBERED_TOKENS}, forgetting the oldest first`, () => {
    const tokens = Array.from({ length: MAX_REMEMBERED_TOKENS + 10 }, (_, i) => `bound.${i}.${crypto.randomUUID()}`);
    for (const token of tokens) rememberVerifiedToken(token, claims(1000), ISSUER);
    expect(rememberedTokenCount()).toBe(MAX_REMEMBERED_TOKENS);
    expect(recallVerifiedToken(tokens[0]!, at(500))).toBeUndefined();
    expect(recallVerifiedToken(tokens[9]!, at(500))).toBeUndefined();
    expect(recallVerifiedToken(tokens[10]!, at(500))?.ok).toBe(true);
    expect(recallVerifiedToken(tokens.at(-1)!, at(500))?.ok).toBe(true);
  });
});
