import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { base64url, createAuthorizationRequest, readAuthorizationCallback } from "@/lib/client/browser-sign-in";
import { AuthorizationError } from "@/lib/client/errors";

const BASE = "https://auth.example.com";
const request = () => createAuthorizationRequest({ baseUrl: BASE, clientId: "com.example.notes", redirectUri: "com.example.notes:/oauth/callback" });

describe("createAuthorizationRequest", () => {
  it("asks for a code with PKCE S256: the challenge is BASE64URL(SHA-256(verifier)) (RFC 7636 §4.2)", async () => {
    const { url, pending } = await request();
    const params = new URL(url).searchParams;
    expect(`${new URL(url).origin}${new URL(url).pathname}`).toBe(`${BASE}/api/auth/authorize`);
    expect(Object.fromEntries(params)).toMatchObject({
      response_type: "code",
      client_id: "com.example.notes",
      redirect_uri: "com.example.notes:/oauth/callback",
      code_challenge_method: "S256",
      state: pending.state,
    });
    expect(pending.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get("code_challenge")).toBe(createHash("sha256").update(pending.codeVerifier).digest("base64url"));
    expect(pending.issuer).toBe(BASE);
  });

  it("makes a new state and verifier every time", async () => {
    const [a, b] = await Promise.all([request(), request()]);
    expect(a.pending.state).not.toBe(b.pending.state);
    expect(a.pending.codeVerifier).not.toBe(b.pending.codeVerifier);
  });

  it("takes the platform's primitives where there is no WebCrypto (expo-crypto in React Native)", async () => {
    const calls: string[] = [];
    const { pending, url } = await createAuthorizationRequest({
      baseUrl: BASE,
      clientId: "c",
      redirectUri: "c:/cb",
      crypto: {
        getRandomValues: (bytes) => (calls.push("random"), bytes.fill(7)),
        sha256: async (data) => (calls.push("sha256"), new Uint8Array(createHash("sha256").update(data).digest()).buffer),
      },
    });
    expect(calls).toEqual(["random", "random", "sha256"]);
    expect(pending.codeVerifier).toBe(Buffer.alloc(32, 7).toString("base64url"));
    expect(new URL(url).searchParams.get("code_challenge")).toBe(createHash("sha256").update(pending.codeVerifier).digest("base64url"));
  });
});

describe("the issuer it expects", () => {
  it.each([
    ["https://auth.example.com/", "https://auth.example.com"],
    ["https://Auth.Example.com:443/base", "https://auth.example.com"],
    ["http://localhost:3000", "http://localhost:3000"],
    ["http://127.0.0.1:80", "http://127.0.0.1"],
  ])("is %s's origin, as URL#origin writes it", async (baseUrl, issuer) => {
    const { pending, url } = await createAuthorizationRequest({ baseUrl, clientId: "c", redirectUri: "c:/cb" });
    expect(pending.issuer).toBe(issuer);
    expect(pending.issuer).toBe(new URL(baseUrl).origin);
    expect(url.startsWith(`${issuer}/api/auth/authorize?`)).toBe(true);
  });
});

describe("base64url", () => {
  it("writes what Node writes, for every length", () => {
    for (let length = 0; length < 40; length++) {
      const bytes = randomBytes(length);
      expect(base64url(new Uint8Array(bytes))).toBe(bytes.toString("base64url"));
    }
  });
});

describe("readAuthorizationCallback", () => {
  const callback = (params: Record<string, string>) => `com.example.notes:/oauth/callback?${new URLSearchParams(params)}`;

  it("returns the code of an answer to this request", async () => {
    const { pending } = await request();
    expect(readAuthorizationCallback(callback({ code: "the-code", state: pending.state, iss: BASE }), pending)).toBe("the-code");
  });

  it.each([
    ["another request's state", { code: "c", state: "someone else's", iss: BASE }, "state_mismatch"],
    ["no state", { code: "c", iss: BASE }, "state_mismatch"],
    ["another issuer (RFC 9207)", { code: "c", state: "STATE", iss: "https://evil.example" }, "issuer_mismatch"],
    ["Doorman's error", { error: "invalid_request", error_description: "PKCE is required.", state: "STATE", iss: BASE }, "invalid_request"],
    ["no code", { state: "STATE", iss: BASE }, "missing_code"],
  ])("refuses %s with a typed error", async (_, params, code) => {
    const { pending } = await request();
    const url = callback(Object.fromEntries(Object.entries(params).map(([name, value]) => [name, value === "STATE" ? pending.state : value])));
    const error = (() => {
      try {
        readAuthorizationCallback(url, pending);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AuthorizationError);
    expect(error).toMatchObject({ code, status: 0 });
  });

  it("reads the query as a browser writes it: +, escapes, a fragment, a name twice (the first counts)", async () => {
    const { pending } = await request();
    const url = `com.example.notes:/oauth/callback?code=a%2Bb+c&state=${pending.state}&code=second&iss=${encodeURIComponent(BASE)}#ignored`;
    expect(readAuthorizationCallback(url, pending)).toBe("a+b c");
  });

  it("refuses a query that does not decode", async () => {
    const { pending } = await request();
    expect(() => readAuthorizationCallback(`com.example.notes:/oauth/callback?code=%E0%A4%A&state=${pending.state}`, pending)).toThrow(AuthorizationError);
  });

  it("passes Doorman's description on", async () => {
    const { pending } = await request();
    expect(() => readAuthorizationCallback(callback({ error: "invalid_request", error_description: "PKCE is required.", state: pending.state }), pending)).toThrow(
      "PKCE is required.",
    );
  });
});
