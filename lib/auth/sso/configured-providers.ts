import type { SsoProvider } from "@/lib/auth/sso/providers";
import { env } from "@/lib/env";

export function configuredProviders(): readonly SsoProvider[] {
  return env().OIDC_PROVIDERS;
}

/** Null for an id OIDC_PROVIDERS does not list (or no longer lists). */
export function configuredProvider(id: string): SsoProvider | null {
  return configuredProviders().find((provider) => provider.id === id) ?? null;
}

/** Its display name while it is configured; its id once it is not. */
export function providerName(id: string): string {
  return configuredProvider(id)?.name ?? id;
}
