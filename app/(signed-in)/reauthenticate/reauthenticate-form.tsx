"use client";

import { useActionState } from "react";
import { reauthenticateAction, type ReauthenticateField } from "@/app/(signed-in)/reauthenticate/actions";
import { FormAlert } from "@/app/_components/form-alert";
import { FormField } from "@/app/_components/form-field";
import { SubmitButton } from "@/app/_components/submit-button";
import { initialFormState } from "@/lib/forms/form-state";

/** One typed proof: the password, or (for an account with an authenticator) a code. */
export function ReauthenticateForm({ next, field }: { next: string; field: ReauthenticateField }) {
  const [state, action] = useActionState(reauthenticateAction, initialFormState<ReauthenticateField>());
  return (
    <form action={action} noValidate className="space-y-5 [&>[role=alert]:empty]:hidden">
      <FormAlert state={state} />
      <input type="hidden" name="next" value={next} />
      {field === "password" ? (
        <FormField label="Password" name="password" type="password" autoComplete="current-password" required autoFocus error={state.fieldErrors.password} />
      ) : (
        <FormField
          label="Authenticator code or recovery code"
          name="code"
          autoComplete="one-time-code"
          required
          autoFocus
          maxLength={64}
          error={state.fieldErrors.code}
        />
      )}
      <SubmitButton wide pendingLabel="Confirming…">
        Confirm
      </SubmitButton>
    </form>
  );
}
