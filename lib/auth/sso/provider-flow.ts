import * as oidc from "openid-client";
import type { SsoFlow } from "@/lib/auth/sso/flow-cookie";
import { describe, providerConfiguration } from "@/lib/auth/sso/provider-client";
import { identityFromGitHub, identityFromIdToken, type ProviderIdentity } from "@/lib/auth/sso/provider-identity";
import type { SsoProvider } from "@/lib/auth/sso/providers";
import { SsoError } from "@/lib/auth/sso/sso-error";
import { offTheClock } from "@/lib/deadline";
import { appOrigin } from "@/lib/env";

// The two legs of the Authorization Code flow with PKCE (RFC 9700 §2.1.1),
// through openid-client: out to the provider with a fresh state, nonce and
// S256 challenge; back with a code, which is redeemed with the verifier and
// whose ID token is checked (signature against the provider's JWKS, iss, aud,
// azp, exp, iat, nonce; `alg: none` refused). The ID token is read once, here,
// to learn who signed in: it is never stored, set as a cookie or accepted as
// a credential. Neither is the provider's access token, which only GitHub's
// API needs, for two requests. Calls to the provider run off the database
// deadline's clock (lib/deadline.ts): they have timeouts of their own.

/** The one address each provider sends people back to; register exactly this. */
export function callbackUrl(provider: Pick<SsoProvider, "id">): string {
  return `${appOrigin()}/api/auth/oidc/${provider.id}/callback`;
}

export async function beginProviderFlow(
  provider: SsoProvider,
  options: { next: string; link: SsoFlow["link"] },
): Promise<{ url: URL; flow: SsoFlow }> {
  const config = await configuration(provider);
  const verifier = oidc.randomPKCECodeVerifier();
  const flow: SsoFlow = {
    provider: provider.id,
    state: oidc.randomState(),
    nonce: provider.kind === "oidc" ? oidc.randomNonce() : null,
    verifier,
    next: options.next,
    link: options.link,
  };
  const parameters: Record<string, string> = {
    redirect_uri: callbackUrl(provider),
    scope: provider.scopes.join(" "),
    state: flow.state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  };
  if (flow.nonce) parameters.nonce = flow.nonce;
  // Linking a second account of the same provider needs a choice, not the one already signed in there.
  if (options.link && (provider.id === "google" || provider.id === "microsoft")) parameters.prompt = "select_account";
  return { url: oidc.buildAuthorizationUrl(config, parameters), flow };
}

/**
 * `returned`: the callback's address as the provider sent the browser to it
 * (APP_URL's origin, never the request's Host). Throws SsoError.
 */
export async function finishProviderFlow(provider: SsoProvider, flow: SsoFlow, returned: URL): Promise<ProviderIdentity> {
  const error = returned.searchParams.get("error");
  if (error) throw new SsoError(error === "access_denied" ? "access_denied" : "invalid_response", `provider error: ${error.slice(0, 100)}`);
  const config = await configuration(provider);
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await offTheClock(() =>
      oidc.authorizationCodeGrant(config, returned, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        ...(flow.nonce ? { expectedNonce: flow.nonce, idTokenExpected: true } : {}),
      }),
    );
  } catch (cause) {
    throw new SsoError(isUnreachable(cause) ? "provider_unavailable" : "invalid_response", describe(cause));
  }
  const identity = provider.kind === "github" ? await offTheClock(() => gitHubIdentity(provider, tokens.access_token)) : identityFromIdToken(provider, tokens.claims());
  if (!identity) throw new SsoError("invalid_response", "the provider's claims were not usable");
  return identity;
}

function configuration(provider: SsoProvider): Promise<oidc.Configuration> {
  return offTheClock(() => providerConfiguration(provider)).catch((error: unknown) => {
    throw new SsoError("provider_unavailable", describe(error));
  });
}

async function gitHubIdentity(provider: Extract<SsoProvider, { kind: "github" }>, accessToken: string): Promise<ProviderIdentity | null> {
  const get = async (path: string) => {
    const response = await fetch(`${provider.apiUrl}${path}`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" },
      redirect: "error",
      signal: AbortSignal.timeout(5000),
    }).catch((cause: unknown) => {
      throw new SsoError("provider_unavailable", describe(cause));
    });
    if (!response.ok) throw new SsoError("invalid_response", `GitHub API ${path}: HTTP ${response.status}`);
    return response.json().catch(() => null) as Promise<unknown>;
  };
  const [user, emails] = await Promise.all([get("/user"), get("/user/emails")]);
  return identityFromGitHub(user, emails);
}

/** A provider that cannot be reached is a different sentence from one whose answer is wrong. */
function isUnreachable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    const name = (current as { name?: unknown }).name;
    const code = (current as { code?: unknown }).code;
    if (name === "TimeoutError" || name === "AbortError" || code === "ECONNREFUSED" || code === "ECONNRESET" || code === "UND_ERR_CONNECT_TIMEOUT") return true;
    if (current instanceof TypeError && /fetch failed/.test(current.message)) return true;
  }
  return false;
}
