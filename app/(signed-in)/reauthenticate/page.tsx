import type { Metadata } from "next";
import Link from "next/link";
import { signOutAction } from "@/app/_actions/sign-out";
import { ActionButton } from "@/app/_components/action-button";
import { AuthCard, textLinkClass } from "@/app/_components/auth-card";
import { PasskeyButton } from "@/app/_components/passkey-button";
import { UnavailableNotice } from "@/app/_components/unavailable-notice";
import { ReauthenticateForm } from "@/app/(signed-in)/reauthenticate/reauthenticate-form";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dal";
import { providerName } from "@/lib/auth/sso/configured-providers";
import { signInMethods, stepUpMethods } from "@/lib/auth/step-up/sign-in-methods";
import { singleParam, type SearchParams } from "@/lib/forms/search-param";
import { safeNextPath } from "@/lib/http/safe-redirect";
import { loadPageData } from "@/lib/page-data";

export const metadata: Metadata = { title: "Confirm it is you" };

/**
 * Step-up as a page of its own: where the prompt in a form sends people
 * without JavaScript, and accounts the prompt cannot serve (docs/decisions/0036).
 * An account that signs in only through a provider proves itself by signing
 * in again: a new session starts its own ten minutes.
 */
export default async function ReauthenticatePage({ searchParams }: { searchParams: SearchParams }) {
  const next = safeNextPath(singleParam((await searchParams).next), "/account");
  const claims = await requireUser(`/reauthenticate?next=${encodeURIComponent(next)}`);
  const account = await loadPageData(async () => signInMethods(await getDb(), claims.sub), "reauthenticate_page");
  const back = (
    <Link href={next} className={textLinkClass}>
      Go back
    </Link>
  );
  if (!account) return <UnavailableNotice retryHref={`/reauthenticate?next=${encodeURIComponent(next)}`} />;
  const methods = stepUpMethods(account);
  return (
    <div className="flex flex-1 items-center justify-center px-4 py-12">
      <AuthCard title="Confirm it is you" description="The change you asked for needs a recent sign-in. Confirm, and you have 10 minutes." footer={back}>
        {methods.password || methods.totp ? (
          <ReauthenticateForm next={next} field={methods.password ? "password" : "code"} />
        ) : null}
        {methods.passkey ? (
          <div className="mt-5">
            <PasskeyButton ceremony="step_up" next={next} label="Use a passkey" />
          </div>
        ) : null}
        {methods.password || methods.totp || methods.passkey ? null : (
          <div className="space-y-4 text-sm text-zinc-700">
            <p>
              Your account signs in with {account.providers.map(providerName).join(" or ") || "a sign-in provider"} only. Sign out, then sign in
              again with it, and make the change within 10 minutes.
            </p>
            <ActionButton action={signOutAction} pendingLabel="Signing out…" size="md">
              Sign out
            </ActionButton>
          </div>
        )}
      </AuthCard>
    </div>
  );
}
