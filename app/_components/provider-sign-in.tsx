import { configuredProviders } from "@/lib/auth/sso/configured-providers";
import { providerStatus, warmProviders } from "@/lib/auth/sso/provider-client";
import { SSO_ERRORS, isSsoErrorCode } from "@/lib/auth/sso/sso-error";

/**
 * One link per configured provider, to its start route (a plain link: the
 * route redirects to the provider, which a client-side navigation cannot
 * follow). The page never waits on a provider: one whose discovery failed
 * moments ago is shown as unavailable, and the others are discovered in the
 * background so the first click does not wait either.
 */
export function ProviderSignIn({ next, error }: { next: string; error: string | undefined }) {
  const providers = configuredProviders();
  warmProviders(providers);
  const message = isSsoErrorCode(error) ? SSO_ERRORS[error] : null;
  if (providers.length === 0 && !message) return null;
  const query = next === "/dashboard" ? "" : `?${new URLSearchParams({ next })}`;
  return (
    <div className="space-y-3">
      {message ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-800">
          {message}
        </div>
      ) : null}
      {providers.length > 0 ? (
        <ul className="space-y-2" aria-label="Sign in with a provider">
          {providers.map((provider) =>
            providerStatus(provider) === "unavailable" ? (
              <li key={provider.id} className="flex w-full justify-center rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-600">
                {provider.name} is unavailable right now
              </li>
            ) : (
              <li key={provider.id}>
                <a
                  href={`/api/auth/oidc/${provider.id}/start${query}`}
                  className="flex w-full justify-center rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm font-medium text-zinc-900 shadow-sm hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
                >
                  Continue with {provider.name}
                </a>
              </li>
            ),
          )}
        </ul>
      ) : null}
      {providers.length > 0 ? (
        <p className="flex items-center gap-3 text-xs text-zinc-500" aria-hidden="true">
          <span className="h-px flex-1 bg-zinc-200" /> or with your email <span className="h-px flex-1 bg-zinc-200" />
        </p>
      ) : null}
    </div>
  );
}
