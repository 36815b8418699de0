import type { Metadata } from "next";
import { ResetPasswordForm } from "@/app/(auth)/reset-password/reset-password-form";
import { ONE_TIME_TOKEN_TTL_SECONDS } from "@/lib/auth/accounts/one-time-token";
import { env } from "@/lib/env";
import { singleParam, type SearchParams } from "@/lib/forms/search-param";

// The token is in this page's URL: no Referer may carry it elsewhere
// (next.config.ts sends the same policy as a header, before any HTML).
export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

// As on /verify-email, the link is checked and used up only when the form is
// posted: a GET must not spend it, since mail scanners fetch links.
export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const token = singleParam((await searchParams).token);
  return (
    <ResetPasswordForm
      token={token}
      passwordMinLength={env().PASSWORD_MIN_LENGTH}
      linkMinutes={ONE_TIME_TOKEN_TTL_SECONDS.reset_password / 60}
    />
  );
}

