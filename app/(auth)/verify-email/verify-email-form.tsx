"use client";

import Link from "next/link";
import { useActionState } from "react";
import { verifyEmailAction, type VerifyEmailField } from "@/app/(auth)/verify-email/actions";
import { AuthCard, textLinkClass } from "@/app/_components/auth-card";
import { buttonClass } from "@/app/_components/button-styles";
import { FormAlert } from "@/app/_components/form-alert";
import { FormField } from "@/app/_components/form-field";
import { ResendVerificationForm, useResendVerification } from "@/app/_components/resend-verification-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { MISSING_TOKEN_EXPLANATION, UnusableLink } from "@/app/_components/unusable-link";
import { ERRORS } from "@/lib/errors";
import { initialFormState } from "@/lib/forms/form-state";

/** A live link: the address it confirms, and whether this browser submitted that signup. */
export type VerificationLink = { email: string; signedUpHere: boolean };

export function VerifyEmailForm({ token, link, linkHours }: { token: string | undefined; link: VerificationLink | null; linkHours: number }) {
  const [state, action] = useActionState(verifyEmailAction, initialFormState<VerifyEmailField>());
  const [resendState, resendAction] = useResendVerification();

  // Confirmed without a sign-in; checked first, since the page drawn after the post finds the link used.
  if (state.status === "success") {
    return (
      <AuthCard
        title="Email confirmed"
        description={
          <>
            <strong className="font-medium text-zinc-900">{state.values.email}</strong> is confirmed. It was not signed up
            for in this browser, so the password chosen then was not kept: we have emailed that address a link to choose one.
          </>
        }
      >
        <Link href="/login" className={buttonClass({ wide: true })}>
          Go to sign in
        </Link>
      </AuthCard>
    );
  }

  // Once the resend form has answered, its answer stays (see useResendVerification).
  if (!token || !link || state.formError?.code === ERRORS.invalidToken.code || resendState.status !== "idle") {
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
    <AuthCard
      title="Confirm your email"
      description={
        <>
          This link confirms <strong className="font-medium text-zinc-900">{link.email}</strong>.
        </>
      }
    >
      <form action={action} noValidate className="space-y-5">
        <FormAlert state={state} />
        <input type="hidden" name="token" value={token} />
        {link.signedUpHere ? null : (
          <FormField
            label="Password chosen at sign-up (optional)"
            name="password"
            type="password"
            autoComplete="current-password"
            hint="You signed up in another browser: type that password to be signed in here. Left empty, the address is confirmed and we email it a link to choose a new password."
            error={state.fieldErrors.password}
          />
        )}
        <SubmitButton pendingLabel="Confirming…" wide>
          Confirm email
        </SubmitButton>
      </form>
    </AuthCard>
  );
}
