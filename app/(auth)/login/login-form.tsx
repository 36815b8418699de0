"use client";

import Link from "next/link";
import { useActionState } from "react";
import { logInAction, type LoginField } from "@/app/(auth)/login/actions";
import { PasskeySignIn } from "@/app/(auth)/login/passkey-sign-in";
import { textLinkClass } from "@/app/_components/auth-card";
import { EmailField } from "@/app/_components/email-field";
import { FormAlert } from "@/app/_components/form-alert";
import { FormField } from "@/app/_components/form-field";
import { ResendVerificationForm, useResendVerification } from "@/app/_components/resend-verification-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { ERRORS } from "@/lib/errors";
import { initialFormState } from "@/lib/forms/form-state";

export function LoginForm({ next }: { next: string }) {
  const [state, action] = useActionState(logInAction, initialFormState<LoginField>());
  const [resendState, resendAction] = useResendVerification();
  // Once the resend form has answered, its answer stays (see useResendVerification).
  const offerResend = state.formError?.code === ERRORS.emailNotVerified.code || resendState.status !== "idle";
  // Without JavaScript, the page drawn after a resend knows the address only from the resend form's state.
  const email = state.values.email ?? resendState.values.email;
  return (
    <div className="space-y-6">
      <form action={action} noValidate className="space-y-5">
        <FormAlert state={state} />
        <input type="hidden" name="next" value={next} />
        <EmailField defaultValue={email} error={state.fieldErrors.email} autoComplete="username webauthn" />
        <FormField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={state.fieldErrors.password}
        />
        <SubmitButton pendingLabel="Signing in…" wide>
          Sign in
        </SubmitButton>
      </form>
      <PasskeySignIn next={next} />
      {offerResend ? (
        // A form of its own (forms cannot nest), sending the address the sign-in was refused for.
        <ResendVerificationForm state={resendState} action={resendAction} email={email} />
      ) : null}
      <p className="text-center text-sm">
        <Link href="/forgot-password" className={textLinkClass}>
          Forgot password?
        </Link>
      </p>
    </div>
  );
}
