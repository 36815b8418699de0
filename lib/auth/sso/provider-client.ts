import * as oidc from "openid-client";
import { isLoopbackUrl, type SsoProvider } from "@/lib/auth/sso/providers";
import { logEvent } from "@/lib/log";

// openid-client's view of each provider: its metadata, from the issuer's
// discovery document (GitHub's endpoints are fixed). Cached per process; it is
// the provider's public configuration, not shared state, so every instance
// may hold its own copy. A provider that does not answer within the timeout
// is "unavailable" for a short while: /login shows it so, without waiting,
// and the next sign-in with it tries again once that while is over.

/** Seconds; every request to a provider, discovery included, ends by then. */
const PROVIDER_TIMEOUT_SECONDS = 5;
const FRESH_MS = 24 * 60 * 60 * 1000;
const RETRY_AFTER_FAILURE_MS = 30 * 1000;

type Entry = { config: Promise<oidc.Configuration>; at: number; failedAt: number | null };

// Per module instance, not on globalThis: Next bundles pages and route
// handlers apart, each with its own copy of openid-client, and a
// Configuration made by one copy is refused by the other's instanceof check
// (seen in the browser tests). So /login and the start route each discover
// once per process.
const cache = new Map<string, Entry>();

export type ProviderStatus = "ready" | "unavailable" | "unknown";

/** What /login may say about a provider without asking it anything. */
export function providerStatus(provider: SsoProvider, nowMs = Date.now()): ProviderStatus {
  if (provider.kind === "github") return "ready";
  const entry = cache.get(provider.id);
  if (!entry) return "unknown";
  if (entry.failedAt !== null) return nowMs - entry.failedAt < RETRY_AFTER_FAILURE_MS ? "unavailable" : "unknown";
  return "ready";
}

/** Discovery, begun for each listed provider that has none in flight, so the first sign-in does not wait for it. */
export function warmProviders(providers: readonly SsoProvider[]): void {
  for (const provider of providers) {
    if (provider.kind === "oidc" && providerStatus(provider) === "unknown") void providerConfiguration(provider).catch(() => {});
  }
}

/** The provider's configuration; rejects when its discovery fails or times out. */
export function providerConfiguration(provider: SsoProvider, nowMs = Date.now()): Promise<oidc.Configuration> {
  const cached = cache.get(provider.id);
  if (cached && (cached.failedAt === null ? nowMs - cached.at < FRESH_MS : nowMs - cached.failedAt < RETRY_AFTER_FAILURE_MS)) {
    return cached.config;
  }
  const entry: Entry = { config: configure(provider), at: nowMs, failedAt: null };
  entry.config.catch((error: unknown) => {
    entry.failedAt = Date.now();
    logEvent("warn", "sso.discovery_failed", { provider: provider.id, error: describe(error) });
  });
  cache.set(provider.id, entry);
  return entry.config;
}

async function configure(provider: SsoProvider): Promise<oidc.Configuration> {
  const insecure = isLoopbackUrl(provider.kind === "github" ? provider.webUrl : provider.issuer);
  const execute = insecure ? [oidc.allowInsecureRequests] : [];
  if (provider.kind === "github") {
    const config = new oidc.Configuration(
      {
        issuer: provider.webUrl,
        authorization_endpoint: `${provider.webUrl}/login/oauth/authorize`,
        token_endpoint: `${provider.webUrl}/login/oauth/access_token`,
      },
      provider.clientId,
      provider.clientSecret,
      oidc.ClientSecretPost(provider.clientSecret),
    );
    config.timeout = PROVIDER_TIMEOUT_SECONDS;
    for (const apply of execute) apply(config);
    return config;
  }
  // client_secret_basic is what a provider must support when it says nothing (OpenID Connect Discovery §3).
  const auth = provider.clientSecret ? oidc.ClientSecretBasic(provider.clientSecret) : oidc.None();
  // enableNonRepudiationChecks: openid-client otherwise trusts an ID token from
  // the token endpoint on the strength of TLS alone (OpenID Connect Core
  // §3.1.3.7 allows it); Doorman checks its signature against the provider's
  // JWKS too (tests/integration/sso.test.ts, "bad-signature").
  return oidc.discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret ?? undefined, auth, {
    timeout: PROVIDER_TIMEOUT_SECONDS,
    execute: [...execute, oidc.enableNonRepudiationChecks],
  });
}

export function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/** For tests that start and stop providers. */
export function forgetProviderConfigurations(): void {
  cache.clear();
}
