"use client";

import { useActionState } from "react";
import { changePasswordAction, type ChangePasswordField } from "@/app/(signed-in)/account/actions";
import { FormAlert } from "@/app/_components/form-alert";
import { FormField } from "@/app/_components/form-field";
import { SubmitButton } from "@/app/_components/submit-button";
import { initialFormState } from "@/lib/forms/form-state";
import { NewPasswordField } from "@/app/_components/new-password-field";

export function ChangePasswordForm({ email, passwordMinLength }: { email: string; passwordMinLength: number }) {
  const [state, action] = useActionState(changePasswordAction, initialFormState<ChangePasswordField>());
  return (
    // The empty alert region takes no room until there is something to say (space-y skips hidden children).
    <form action={action} noValidate className="space-y-5 px-5 py-5 [&>[role=alert]:empty]:hidden">
      {state.status === "success" ? (
        <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2.5 text-sm text-emerald-800">
          Password changed. Other devices were signed out.
        </p>
      ) : null}
      <FormAlert state={state} />
      {/* Tells password managers which account's password this updates. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <FormField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={state.fieldErrors.currentPassword}
      />
      <NewPasswordField
        label="New password"
        name="newPassword"
        minLength={passwordMinLength}
        note="Other devices will be signed out."
        error={state.fieldErrors.newPassword}
      />
      <SubmitButton pendingLabel="Changing password…">Change password</SubmitButton>
    </form>
  );
}
