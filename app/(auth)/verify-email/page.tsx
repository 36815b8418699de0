import type { Metadata } from "next";
import { cookies } from "next/headers";
import { VerifyEmailForm } from "@/app/(auth)/verify-email/verify-email-form";
import { AuthCard, textLinkClass } from "@/app/_components/auth-card";
import { ONE_TIME_TOKEN_TTL_SECONDS } from "@/lib/auth/accounts/one-time-token";
import { TokenSchema } from "@/lib/auth/schemas";
import { readSignupCookie } from "@/lib/auth/accounts/signup-marker";
import { describeVerificationLink } from "@/lib/auth/accounts/verify-email";
import { ERRORS } from "@/lib/errors";
import { singleParam, type SearchParams } from "@/lib/forms/search-param";
import { loadPageData } from "@/lib/page-data";

// The token is in this page's URL: no Referer may carry it elsewhere
// (next.config.ts sends the same policy as a header, before any HTML).
export const metadata: Metadata = { title: "Confirm your email", referrer: "no-referrer" };

// The page names the address before anyone presses the button (someone may
// have been sent another person's link), and only reads: the POST uses the link up.
export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const token = singleParam((await searchParams).token);
  const parsed = TokenSchema.safeParse(token);
  const marker = readSignupCookie(await cookies());
  const loaded = await loadPageData(async () => ({ link: parsed.success ? await describeVerificationLink(parsed.data, marker) : null }), "verify_email_page");
  if (!loaded) {
    return (
      <AuthCard title="Confirm your email" description={ERRORS.unavailable.message}>
        <a href={`/verify-email?token=${encodeURIComponent(token ?? "")}`} className={textLinkClass}>
          Try again
        </a>
      </AuthCard>
    );
  }
  return <VerifyEmailForm token={token} link={loaded.link} linkHours={ONE_TIME_TOKEN_TTL_SECONDS.verify_email / 3600} />;
}
