import type { Metadata } from "next";
import { UnusableLink } from "@/app/(auth)/verify-email/unusable-link";
import { VerifyEmailForm } from "@/app/(auth)/verify-email/verify-email-form";
import { singleParam, type SearchParams } from "@/lib/forms/search-param";

// The token is in this page's URL: no Referer may carry it elsewhere
// (next.config.ts sends the same policy as a header, before any HTML).
export const metadata: Metadata = { title: "Confirm your email", referrer: "no-referrer" };

export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const token = singleParam((await searchParams).token);
  if (!token) return <UnusableLink reason="incomplete" />;
  return <VerifyEmailForm token={token} />;
}
