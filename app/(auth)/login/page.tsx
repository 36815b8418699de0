import type { Metadata } from "next";
import Link from "next/link";
import { LoginForm } from "@/app/(auth)/login/login-form";
import { AuthCard, textLinkClass } from "@/app/_components/auth-card";
import { ProviderSignIn } from "@/app/_components/provider-sign-in";
import { requireAnonymous } from "@/lib/auth/dal";
import { singleParam, type SearchParams } from "@/lib/forms/search-param";
import { safeNextPath } from "@/lib/http/safe-redirect";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = safeNextPath(singleParam(params.next));
  await requireAnonymous(next);
  return (
    <AuthCard
      title="Sign in to Doorman"
      description="Welcome back. Enter your email and password to continue."
      footer={
        <>
          New to Doorman?{" "}
          <Link href="/signup" className={textLinkClass}>
            Create an account
          </Link>
        </>
      }
    >
      <div className="space-y-6">
        <ProviderSignIn next={next} error={singleParam(params.error)} />
        <LoginForm next={next} />
      </div>
    </AuthCard>
  );
}
