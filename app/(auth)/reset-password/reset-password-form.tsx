"use client";

import Link from "next/link";
import { useActionState } from "react";
import { resetPasswordAction, type ResetPasswordField } from "@/app/(auth)/reset-password/actions";
import { AuthCard } from "@/app/_components/auth-card";
import { buttonClass } from "@/app/_components/button-styles";
import { FormAlert } from "@/app/_components/form-alert";
import { SubmitButton } from "@/app/_components/submit-button";
import { MISSING_TOKEN_EXPLANATION, UnusableLink } from "@/app/_components/unusable-link";
import { ERRORS } from "@/lib/errors";
import { initialFormState } from "@/lib/forms/form-state";
import { NewPasswordField } from "@/app/_components/new-password-field";

export function ResetPasswordForm({
  token,
  passwordMinLength,
  linkMinutes,
}: {
  token: string | undefined;
  passwordMinLength: number;
  linkMinutes: number;
}) {
  const [state, action] = useActionState(resetPasswordAction, initialFormState<ResetPasswordField>());

  if (!token || state.formError?.code === ERRORS.invalidToken.code) {
    return (
      <UnusableLink
        explanation={
          token
            ? `${ERRORS.invalidToken.message} Reset links work once, for ${linkMinutes} minutes, and only the newest one you asked for.`
            : MISSING_TOKEN_EXPLANATION
        }
      >
        <Link href="/forgot-password" className={buttonClass({ wide: true })}>
          Request a new link
        </Link>
      </UnusableLink>
    );
  }

  if (state.status === "success") {
    return (
      <AuthCard
        title="Password changed"
        description="Your new password is set, and every device that was signed in to your account has been signed out. Sign in again with your new password."
      >
        <Link href="/login" className={buttonClass({ wide: true })}>
          Sign in
        </Link>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Choose a new password" description="Your old password stops working, and every device signed in to your account is signed out.">
      <form action={action} noValidate className="space-y-5">
        <FormAlert state={state} />
        <input type="hidden" name="token" value={token} />
        <NewPasswordField label="New password" name="password" minLength={passwordMinLength} error={state.fieldErrors.password} />
        <SubmitButton pendingLabel="Saving…" wide>
          Set new password
        </SubmitButton>
      </form>
    </AuthCard>
  );
}
