"use client";

import Link from "next/link";
import { useActionState } from "react";
import { signUpAction, type SignupField } from "@/app/(auth)/signup/actions";
import { AuthCard, textLinkClass } from "@/app/_components/auth-card";
import { CheckYourEmail } from "@/app/_components/check-your-email";
import { EmailField } from "@/app/_components/email-field";
import { FormAlert } from "@/app/_components/form-alert";
import { FormField } from "@/app/_components/form-field";
import { SubmitButton } from "@/app/_components/submit-button";
import { initialFormState } from "@/lib/forms/form-state";
import { NewPasswordField } from "@/app/_components/new-password-field";

const signInFooter = (
  <>
    Already have an account?{" "}
    <Link href="/login" className={textLinkClass}>
      Sign in
    </Link>
  </>
);

export function SignupForm({
  passwordMinLength,
  linkHours,
  devMailbox,
}: {
  passwordMinLength: number;
  linkHours: number;
  devMailbox: boolean;
}) {
  const [state, action] = useActionState(signUpAction, initialFormState<SignupField>());

  if (state.status === "success") {
    return (
      <CheckYourEmail
        description={
          <>
            We sent a message to <strong className="font-medium text-zinc-900">{state.values.email}</strong>. Follow the
            link in it to finish setting up your account. The link works for {linkHours} hours.
          </>
        }
        retryHref="/signup"
        devMailbox={devMailbox}
        footer={signInFooter}
      />
    );
  }

  return (
    <AuthCard title="Create your account" description="Start with your name, email and a password." footer={signInFooter}>
      <form action={action} noValidate className="space-y-5">
        <FormAlert state={state} />
        <FormField
          label="Name"
          name="name"
          autoComplete="name"
          required
          maxLength={100}
          defaultValue={state.values.name}
          error={state.fieldErrors.name}
        />
        <EmailField defaultValue={state.values.email} error={state.fieldErrors.email} />
        <NewPasswordField label="Password" name="password" minLength={passwordMinLength} error={state.fieldErrors.password} />
        <SubmitButton pendingLabel="Creating account…" wide>
          Create account
        </SubmitButton>
      </form>
    </AuthCard>
  );
}
