"use client";

import Link from "next/link";
import { useActionState } from "react";
import { verifyEmailAction } from "@/app/(auth)/verify-email/actions";
import { AuthCard, textLinkClass } from "@/app/_components/auth-card";
import { FormAlert } from "@/app/_components/form-alert";
import { ResendVerificationForm, useResendVerification } from "@/app/_components/resend-verification-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { MISSING_TOKEN_EXPLANATION, UnusableLink } from "@/app/_components/unusable-link";
import { ERRORS } from "@/lib/errors";
import { initialFormState } from "@/lib/forms/form-state";

export function VerifyEmailForm({ token, linkHours }: { token: string | undefined; linkHours: number }) {
  const [state, action] = useActionState(verifyEmailAction, initialFormState<never>());
  const [resendState, resendAction] = useResendVerification();

  // Once the resend form has answered, its answer stays (see useResendVerification).
  if (!token || state.formError?.code === ERRORS.invalidToken.code || resendState.status !== "idle") {
    return (
      <UnusableLink
        explanation={
          token
            ? `${ERRORS.invalidToken.message} Confirmation links work once, for ${linkHours} hours, and only the newest one sent. Ask for a new one below.`
            : MISSING_TOKEN_EXPLANATION
        }
      >
        <ResendVerificationForm state={resendState} action={resendAction} />
        <p className="mt-6 text-center text-sm text-zinc-600">
          Already confirmed your email?{" "}
          <Link href="/login" className={textLinkClass}>
            Sign in
          </Link>
        </p>
      </UnusableLink>
    );
  }

  return (
    <AuthCard title="Confirm your email" description="One last step: confirm this address to finish setting up your account.">
      <form action={action} className="space-y-5">
        <FormAlert state={state} />
        <input type="hidden" name="token" value={token} />
        <SubmitButton pendingLabel="Confirming…" wide>
          Confirm email
        </SubmitButton>
      </form>
    </AuthCard>
  );
}
