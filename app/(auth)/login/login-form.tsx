"use client";

import { useActionState } from "react";
import { logInAction, type LoginField } from "@/app/(auth)/login/actions";
import { FormAlert } from "@/app/_components/form-alert";
import { FormField } from "@/app/_components/form-field";
import { SubmitButton } from "@/app/_components/submit-button";
import { initialFormState } from "@/lib/forms/form-state";

export function LoginForm({ next }: { next: string }) {
  const [state, action] = useActionState(logInAction, initialFormState<LoginField>());
  return (
    <form action={action} noValidate className="space-y-5">
      <FormAlert state={state} />
      <input type="hidden" name="next" value={next} />
      <FormField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        autoCapitalize="none"
        spellCheck={false}
        required
        defaultValue={state.values.email}
        error={state.fieldErrors.email}
      />
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
  );
}
