import type { Metadata } from "next";
import Link from "next/link";
import { cookies } from "next/headers";
import { SecondFactorForm } from "@/app/(auth)/login/second-factor/second-factor-form";
import { AuthCard, textLinkClass } from "@/app/_components/auth-card";
import { PasskeySignIn } from "@/app/(auth)/login/passkey-sign-in";
import { getDb } from "@/db/client";
import { requireAnonymous } from "@/lib/auth/dal";
import { signInMethods } from "@/lib/auth/step-up/sign-in-methods";
import { loadPageData } from "@/lib/page-data";
import { readPendingSignInCookie } from "@/lib/auth/second-factor/pending-cookie";
import { singleParam, type SearchParams } from "@/lib/forms/search-param";
import { safeNextPath } from "@/lib/http/safe-redirect";

export const metadata: Metadata = { title: "Two-factor authentication" };

/** After the password (or a provider): the code. Without a pending sign-in there is nothing to finish. */
export default async function SecondFactorPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = safeNextPath(singleParam(params.next));
  await requireAnonymous(next);
  const recovery = singleParam(params.method) === "recovery";
  const here = (method?: string) => `/login/second-factor?${new URLSearchParams({ next, ...(method ? { method } : {}) })}`;
  const pending = readPendingSignInCookie(await cookies());
  if (!pending) {
    return (
      <AuthCard title="Sign in again" description="Your sign-in took too long, or this browser has none in progress.">
        <Link href={`/login?${new URLSearchParams({ next })}`} className={textLinkClass}>
          Go to sign in
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Two-factor authentication"
      description={recovery ? "Enter one of your recovery codes. Each works once." : "Enter the code from your authenticator app."}
      footer={
        recovery ? (
          <Link href={here()} className={textLinkClass}>
            Use your authenticator app
          </Link>
        ) : (
          <Link href={here("recovery")} className={textLinkClass}>
            Use a recovery code
          </Link>
        )
      }
    >
      <SecondFactorForm next={next} recovery={recovery} />
      {(await hasPasskey(pending.userId)) ? (
        <div className="mt-5">
          <PasskeySignIn next={next} autofill={false} />
        </div>
      ) : null}
    </AuthCard>
  );
}

/** A passkey is two factors on its own: offered here to an account that has one. A silent database offers only the code. */
async function hasPasskey(userId: string): Promise<boolean> {
  const methods = await loadPageData(async () => signInMethods(await getDb(), userId), "second_factor_page");
  return (methods?.passkeys ?? 0) > 0;
}
