import type { Metadata } from "next";
import { VerifyEmailForm } from "@/app/(auth)/verify-email/verify-email-form";
import { ONE_TIME_TOKEN_TTL_SECONDS } from "@/lib/auth/one-time-token";
import { singleParam, type SearchParams } from "@/lib/forms/search-param";

// The token is in this page's URL: no Referer may carry it elsewhere
// (next.config.ts sends the same policy as a header, before any HTML).
export const metadata: Metadata = { title: "Confirm your email", referrer: "no-referrer" };

export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const token = singleParam((await searchParams).token);
  return <VerifyEmailForm token={token} linkHours={ONE_TIME_TOKEN_TTL_SECONDS.verify_email / 3600} />;
}
