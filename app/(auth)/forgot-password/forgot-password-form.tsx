"use client";

import Link from "next/link";
import { useActionState } from "react";
import { requestPasswordResetAction, type ForgotPasswordField } from "@/app/(auth)/forgot-password/actions";
import { AuthCard, textLinkClass } from "@/app/_components/auth-card";
import { CheckYourEmail } from "@/app/_components/check-your-email";
import { EmailField } from "@/app/_components/email-field";
import { FormAlert } from "@/app/_components/form-alert";
import { SubmitButton } from "@/app/_components/submit-button";
import { initialFormState } from "@/lib/forms/form-state";

const signInFooter = (
  <>
    Remembered it?{" "}
    <Link href="/login" className={textLinkClass}>
      Sign in
    </Link>
  </>
);

export function ForgotPasswordForm({ linkMinutes, devMailbox }: { linkMinutes: number; devMailbox: boolean }) {
  const [state, action] = useActionState(requestPasswordResetAction, initialFormState<ForgotPasswordField>());

  if (state.status === "success") {
    return (
      <CheckYourEmail
        description={
          <>
            If an account exists for <strong className="font-medium text-zinc-900">{state.values.email}</strong>, we sent
            it a link to choose a new password. The link works for {linkMinutes} minutes.
          </>
        }
        retryHref="/forgot-password"
        devMailbox={devMailbox}
        footer={signInFooter}
      />
    );
  }

  return (
    <AuthCard
      title="Reset your password"
      description="Enter the email you sign in with, and we will send you a link to choose a new password."
      footer={signInFooter}
    >
      <form action={action} noValidate className="space-y-5">
        <FormAlert state={state} />
        <EmailField defaultValue={state.values.email} error={state.fieldErrors.email} />
        <SubmitButton pendingLabel="Sending…" wide>
          Send reset link
        </SubmitButton>
      </form>
    </AuthCard>
  );
}
