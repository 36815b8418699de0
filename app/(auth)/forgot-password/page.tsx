import type { Metadata } from "next";
import { ForgotPasswordForm } from "@/app/(auth)/forgot-password/forgot-password-form";
import { ONE_TIME_TOKEN_TTL_SECONDS } from "@/lib/auth/accounts/one-time-token";
import { isProduction } from "@/lib/env";

export const metadata: Metadata = { title: "Reset your password" };

export default function ForgotPasswordPage() {
  return <ForgotPasswordForm linkMinutes={ONE_TIME_TOKEN_TTL_SECONDS.reset_password / 60} devMailbox={!isProduction()} />;
}
