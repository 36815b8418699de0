import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compactVerify, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from "jose";
import { startTestProvider, type TestProvider } from "../support/oidc/provider";
import { BROKEN_MODES, startBrokenProvider, type BrokenMode, type BrokenProvider } from "../support/oidc/broken-provider";
import { startGitHubStandIn, type GitHubStandIn } from "../support/oidc/github";
import { defaultGitHubId } from "../support/oidc/github-accounts";
import { completeProviderLogin } from "../support/oidc/complete-login";

// The app's single sign-on tests sign in against these stand-ins; if a
// stand-in drifts from what it claims (a real OpenID Provider, one fault at a
// time, GitHub's OAuth shapes), those tests prove nothing.

const CALLBACK = "http://localhost:3100/api/auth/oidc/acme/callback";
const client = { clientId: "doorman", clientSecret: "doorman-test-secret", redirectUris: [CALLBACK] };

let good: TestProvider;
let broken: BrokenProvider;
let github: GitHubStandIn;

beforeAll(async () => {
  [good, broken, github] = await Promise.all([
    startTestProvider({ port: 0, clients: [client, { clientId: "native", redirectUris: [CALLBACK] }] }),
    startBrokenProvider({ port: 0, clients: [client] }),
    startGitHubStandIn({ port: 0, clients: [client] }),
  ]);
});
afterAll(() => Promise.all([good?.close(), broken?.close(), github?.close()]));

function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

type Flow = { url: string; verifier: string; state: string; nonce: string };

function authorizationRequest(base: string, path: string, extra: Record<string, string> = {}, clientId = client.clientId): Flow {
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString("base64url");
  const nonce = randomBytes(8).toString("base64url");
  const url = new URL(path, base);
  const params = { client_id: clientId, redirect_uri: CALLBACK, response_type: "code", scope: "openid email profile", state, nonce, code_challenge: challenge, code_challenge_method: "S256", ...extra };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return { url: url.href, verifier, state, nonce };
}

async function redeem(issuer: string, code: string, verifier: string, auth: "basic" | "post" | "none" = "basic"): Promise<Response> {
  const body = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: CALLBACK, code_verifier: verifier });
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (auth === "basic") headers.authorization = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;
  if (auth === "post") {
    body.set("client_id", client.clientId);
    body.set("client_secret", client.clientSecret);
  }
  if (auth === "none") body.set("client_id", "native");
  return fetch(`${issuer}/token`, { method: "POST", headers, body });
}

/** Sign in at an OpenID stand-in and redeem the code: the raw ID token. */
async function signIn(provider: TestProvider, login: string): Promise<{ idToken: string; flow: Flow }> {
  const flow = authorizationRequest(provider.issuer, "/auth");
  const callback = new URL(await completeProviderLogin(flow.url, login));
  expect(callback.searchParams.get("state")).toBe(flow.state);
  const response = await redeem(provider.issuer, callback.searchParams.get("code")!, flow.verifier);
  expect(response.status).toBe(200);
  return { idToken: ((await response.json()) as { id_token: string }).id_token, flow };
}

describe("OpenID test provider", () => {
  it("publishes discovery for its loopback issuer, PKCE S256 only", async () => {
    const metadata = await (await fetch(`${good.url}/.well-known/openid-configuration`)).json();
    expect(good.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(metadata).toMatchObject({
      issuer: good.issuer,
      authorization_endpoint: `${good.issuer}/auth`,
      token_endpoint: `${good.issuer}/token`,
      jwks_uri: `${good.issuer}/jwks`,
      code_challenge_methods_supported: ["S256"],
      authorization_response_iss_parameter_supported: true,
    });
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "profile"]));
  });

  it("signs a default account in with code + PKCE; the ID token carries its claims", async () => {
    const { idToken, flow } = await signIn(good, "ada");
    const { payload, protectedHeader } = await jwtVerify(idToken, createRemoteJWKSet(new URL(`${good.issuer}/jwks`)), {
      issuer: good.issuer,
      audience: client.clientId,
      algorithms: ["RS256"],
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({ sub: "sub-ada", email: "ada@example.test", email_verified: true, name: "ada", nonce: flow.nonce });
  });

  it("releases what a registered account has: an unverified email, or none at all", async () => {
    const registered = await fetch(`${good.url}/__test/accounts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login: "grace", sub: "grace-1", email: "grace@corp.test", email_verified: false }),
    });
    expect(registered.status).toBe(200);
    good.addAccount({ login: "hopper", email: null, name: null });

    expect(decodeJwt((await signIn(good, "grace")).idToken)).toMatchObject({ sub: "grace-1", email: "grace@corp.test", email_verified: false, name: "grace" });
    const hopper = decodeJwt((await signIn(good, "hopper")).idToken);
    expect(hopper.sub).toBe("sub-hopper");
    expect(hopper).not.toHaveProperty("email");
    expect(hopper).not.toHaveProperty("email_verified");
    expect(hopper).not.toHaveProperty("name");
  });

  it("refuses a wrong code_verifier, and a request without code_challenge", async () => {
    const flow = authorizationRequest(good.issuer, "/auth");
    const code = new URL(await completeProviderLogin(flow.url, "ada")).searchParams.get("code")!;
    const wrong = await redeem(good.issuer, code, pkce().verifier);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: "invalid_grant" });

    const url = new URL(authorizationRequest(good.issuer, "/auth").url);
    url.searchParams.delete("code_challenge");
    url.searchParams.delete("code_challenge_method");
    const refused = new URL(await completeProviderLogin(url.href, "ada"));
    expect(refused.searchParams.get("error")).toBe("invalid_request");
  });

  it("takes the secret in the body too, and a public client with PKCE alone", async () => {
    for (const [auth, clientId] of [["post", client.clientId], ["none", "native"]] as const) {
      const flow = authorizationRequest(good.issuer, "/auth", {}, clientId);
      const code = new URL(await completeProviderLogin(flow.url, "ada")).searchParams.get("code")!;
      expect((await redeem(good.issuer, code, flow.verifier, auth)).status).toBe(200);
    }
  });

  it("ends at the redirect_uri with access_denied and the state when the user cancels", async () => {
    const flow = authorizationRequest(good.issuer, "/auth");
    const callback = new URL(await completeProviderLogin(flow.url, "ada", { deny: true }));
    expect(callback.origin + callback.pathname).toBe(CALLBACK);
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("state")).toBe(flow.state);
    expect(callback.searchParams.has("code")).toBe(false);
  });
});

describe("broken provider", () => {
  const jwks = () => createRemoteJWKSet(new URL(`${broken.issuer}/jwks`));
  const signedByItsKey = async (token: string) => expect((await compactVerify(token, jwks())).protectedHeader.alg).toBe("RS256");

  const expectations: Record<BrokenMode, (token: string, flow: Flow) => Promise<void>> = {
    ok: async (token) => {
      await jwtVerify(token, jwks(), { issuer: broken.issuer, audience: client.clientId });
    },
    "wrong-aud": async (token) => {
      expect(decodeJwt(token).aud).not.toBe(client.clientId);
      await signedByItsKey(token);
      await expect(jwtVerify(token, jwks(), { issuer: broken.issuer, audience: client.clientId })).rejects.toThrow(errors.JWTClaimValidationFailed);
    },
    "wrong-iss": async (token) => {
      expect(decodeJwt(token).iss).not.toBe(broken.issuer);
      await signedByItsKey(token);
    },
    expired: async (token) => {
      expect(decodeJwt(token).exp!).toBeLessThan(Date.now() / 1000 - 60);
      await signedByItsKey(token);
      await expect(jwtVerify(token, jwks(), { issuer: broken.issuer, audience: client.clientId })).rejects.toThrow(errors.JWTExpired);
    },
    "alg-none": async (token) => {
      expect(decodeProtectedHeader(token).alg).toBe("none");
      expect(token.split(".")[2]).toBe("");
      expect(decodeJwt(token).sub).toBe("sub-ada");
    },
    "nonce-mismatch": async (token, flow) => {
      expect(decodeJwt(token).nonce).not.toBe(flow.nonce);
      await signedByItsKey(token);
    },
    "bad-signature": async (token) => {
      const published = (await (await fetch(`${broken.issuer}/jwks`)).json()) as { keys: { kid: string }[] };
      expect(published.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(token).kid);
      await expect(compactVerify(token, jwks())).rejects.toThrow(errors.JWSSignatureVerificationFailed);
    },
  };

  it.each(BROKEN_MODES)("mode %s puts exactly that fault in the ID token", async (mode) => {
    const set = await fetch(`${broken.url}/__test/mode`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ mode }) });
    expect(set.status).toBe(200);
    const { idToken, flow } = await signIn(broken, "ada");
    await expectations[mode](idToken, flow);
    // Everything but the named fault is the real token's.
    expect(decodeJwt(idToken)).toMatchObject({ sub: "sub-ada", email: "ada@example.test", email_verified: true });
  });

  it("switches in-process too, and refuses an unknown mode", async () => {
    broken.setMode("ok");
    const { idToken, flow } = await signIn(broken, "ada");
    await expectations.ok(idToken, flow);
    const refused = await fetch(`${broken.url}/__test/mode`, { method: "POST", body: JSON.stringify({ mode: "sideways" }) });
    expect(refused.status).toBe(400);
  });
});

describe("GitHub stand-in", () => {
  const callback = async (login: string, deny = false) => {
    const flow = authorizationRequest(github.webUrl, "/login/oauth/authorize", { scope: "read:user user:email" });
    return { flow, callback: new URL(await completeProviderLogin(flow.url, login, { deny })) };
  };
  const exchange = (fields: Record<string, string>, accept = "application/json") =>
    fetch(`${github.webUrl}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept, "content-type": "application/json" },
      body: JSON.stringify({ client_id: client.clientId, client_secret: client.clientSecret, redirect_uri: CALLBACK, ...fields }),
    });
  const api = (path: string, token: string) => fetch(`${github.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it("exchanges the code for a token that reads /user and /user/emails", async () => {
    const { flow, callback: back } = await callback("octo-cat");
    expect(back.searchParams.get("state")).toBe(flow.state);
    const answer = await exchange({ code: back.searchParams.get("code")!, code_verifier: flow.verifier });
    expect(answer.status).toBe(200);
    const token = (await answer.json()) as { access_token: string; token_type: string; scope: string };
    expect(token).toMatchObject({ token_type: "bearer", scope: "read:user,user:email" });

    expect(await (await api("/user", token.access_token)).json()).toMatchObject({ id: defaultGitHubId("octo-cat"), login: "octo-cat", name: "octo-cat", email: "octo-cat@example.test" });
    expect(await (await api("/user/emails", token.access_token)).json()).toEqual([{ email: "octo-cat@example.test", primary: true, verified: true, visibility: "public" }]);
    expect((await api("/user", "gho_not-a-token")).status).toBe(401);
  });

  it("shows a registered account's private and unverified addresses only at /user/emails", async () => {
    const emails = [
      { email: "linus@private.test", primary: true, verified: true, visibility: "private" },
      { email: "linus@old.test", primary: false, verified: false },
    ];
    expect((await fetch(`${github.webUrl}/__test/accounts`, { method: "POST", body: JSON.stringify({ login: "linus", id: 42, emails }) })).status).toBe(200);
    const { flow, callback: back } = await callback("linus");
    const { access_token } = (await (await exchange({ code: back.searchParams.get("code")!, code_verifier: flow.verifier })).json()) as { access_token: string };
    expect(await (await api("/user", access_token)).json()).toMatchObject({ id: 42, login: "linus", email: null });
    expect(await (await api("/user/emails", access_token)).json()).toEqual([emails[0], { ...emails[1], visibility: null }]);
  });

  it("answers refusals as GitHub does: HTTP 200 with an error body", async () => {
    const { callback: back } = await callback("ada");
    const code = back.searchParams.get("code")!;
    const wrongVerifier = await exchange({ code, code_verifier: pkce().verifier });
    expect(wrongVerifier.status).toBe(200);
    expect(await wrongVerifier.json()).toMatchObject({ error: "bad_verification_code", error_description: expect.any(String), error_uri: expect.any(String) });
    expect(await (await exchange({ code, client_secret: "wrong" })).json()).toMatchObject({ error: "incorrect_client_credentials" });
    expect(new URLSearchParams(await (await exchange({ code }, "*/*")).text()).get("error")).toBe("bad_verification_code");
  });

  it("gives access_denied with the state when the user cancels", async () => {
    const { flow, callback: back } = await callback("ada", true);
    expect(back.origin + back.pathname).toBe(CALLBACK);
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe(flow.state);
  });
});
