import type { Metadata } from "next";
import { SignupForm } from "@/app/(auth)/signup/signup-form";
import { requireAnonymous } from "@/lib/auth/dal";
import { ONE_TIME_TOKEN_TTL_SECONDS } from "@/lib/auth/accounts/one-time-token";
import { env, isProduction } from "@/lib/env";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignupPage() {
  await requireAnonymous();
  return (
    <SignupForm
      passwordMinLength={env().PASSWORD_MIN_LENGTH}
      linkHours={ONE_TIME_TOKEN_TTL_SECONDS.verify_email / 3600}
      devMailbox={!isProduction()}
    />
  );
}
