import { linkProviderAction, unlinkProviderAction } from "@/app/(signed-in)/account/provider-actions";
import { ActionButton } from "@/app/_components/action-button";
import { formatUtc } from "@/lib/format/time";
import type { LinkedIdentity } from "@/lib/auth/sso/identities";
import type { SsoProvider } from "@/lib/auth/sso/providers";

/**
 * The provider accounts that sign in to this one, each with Unlink, and a
 * Link button for every configured provider. Several accounts of one provider
 * may be linked; the last way in (no password, one provider) cannot go.
 */
export function LinkedProviders({
  identities,
  providers,
  hasPassword,
}: {
  identities: LinkedIdentity[];
  providers: readonly SsoProvider[];
  hasPassword: boolean;
}) {
  const nameOf = (id: string) => providers.find((provider) => provider.id === id)?.name ?? id;
  return (
    <div>
      {identities.length === 0 ? (
        <p className="px-5 py-4 text-sm text-zinc-600">No provider is linked. You sign in with your email and password.</p>
      ) : (
        <ul className="divide-y divide-zinc-100" aria-label="Linked providers">
          {identities.map((identity) => (
            <li key={identity.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3">
              <div className="text-sm">
                <p className="font-medium text-zinc-900">{nameOf(identity.provider)}</p>
                <p className="text-zinc-600">
                  {identity.email ?? "No email shared"} · linked {formatUtc(identity.createdAt)}
                </p>
              </div>
              <ActionButton
                action={unlinkProviderAction}
                hidden={{ identityId: identity.id }}
                pendingLabel="Unlinking…"
                label={`Unlink ${nameOf(identity.provider)}`}
              >
                Unlink
              </ActionButton>
            </li>
          ))}
        </ul>
      )}
      {!hasPassword ? (
        <p className="border-t border-zinc-100 px-5 py-3 text-sm text-zinc-600">
          Your account has no password. To set one, use &ldquo;Forgot password?&rdquo; on the sign-in page.
        </p>
      ) : null}
      {providers.length > 0 ? (
        <div className="flex flex-wrap gap-3 border-t border-zinc-200 bg-zinc-50/60 px-5 py-4">
          {providers.map((provider) => (
            <ActionButton key={provider.id} action={linkProviderAction} hidden={{ provider: provider.id }} pendingLabel="Opening…">
              Link {provider.name}
            </ActionButton>
          ))}
        </div>
      ) : null}
    </div>
  );
}
