"use client";

import { useActionState } from "react";
import { verifyEmailAction } from "@/app/(auth)/verify-email/actions";
import { UnusableLink } from "@/app/(auth)/verify-email/unusable-link";
import { AuthCard } from "@/app/_components/auth-card";
import { FormAlert } from "@/app/_components/form-alert";
import { SubmitButton } from "@/app/_components/submit-button";
import { ERRORS } from "@/lib/errors";
import { initialFormState } from "@/lib/forms/form-state";

export function VerifyEmailForm({ token, linkHours }: { token: string; linkHours: number }) {
  const [state, action] = useActionState(verifyEmailAction, initialFormState<never>());

  if (state.formError?.code === ERRORS.invalidToken.code) {
    return (
      <UnusableLink
        explanation={`${state.formError.message} Confirmation links work once, for ${linkHours} hours. If you already confirmed your email, sign in.`}
      />
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
