"use client";

import { useActionState, type ReactNode } from "react";
import type { ButtonStyle } from "@/app/_components/button-styles";
import { ReauthenticatePrompt } from "@/app/_components/reauthenticate-prompt";
import { SubmitButton } from "@/app/_components/submit-button";
import { ERRORS } from "@/lib/errors";
import { initialFormState, type FormState } from "@/lib/forms/form-state";

type ButtonAction = (previous: FormState<never>, formData: FormData) => Promise<FormState<never>>;

/**
 * A form that is only a button, for actions that take no typed input: sign
 * out, sign a device out, sign out everywhere. A POST form, never a link:
 * these change state, and a GET could be triggered by any page (SECURITY.md:
 * no state change over GET, logout included). The action's error shows
 * beside the button; a change that wants a fresh authentication asks for it
 * right there, and the button's action runs again once it is given.
 */
export function ActionButton({
  action,
  hidden = {},
  children,
  pendingLabel,
  label,
  variant = "secondary",
  size = "sm",
}: {
  action: ButtonAction;
  /** Sent as hidden inputs, e.g. which device to sign out. */
  hidden?: Record<string, string>;
  children: ReactNode;
  pendingLabel: string;
  label?: string;
  variant?: ButtonStyle["variant"];
  size?: ButtonStyle["size"];
}) {
  const [state, formAction] = useActionState(action, initialFormState<never>());
  const hiddenInputs = Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
  if (state.formError?.code === ERRORS.reauthenticationRequired.code) {
    return (
      <form action={formAction} className="flex w-full max-w-md flex-col items-end gap-2">
        <ReauthenticatePrompt message={state.formError.message} />
        {hiddenInputs}
      </form>
    );
  }
  return (
    <form action={formAction} className="flex items-center gap-3">
      {state.formError ? (
        <p role="alert" className="max-w-56 text-right text-xs leading-4 text-red-600">
          {state.formError.message}
        </p>
      ) : null}
      {hiddenInputs}
      <SubmitButton variant={variant} size={size} pendingLabel={pendingLabel} label={label}>
        {children}
      </SubmitButton>
    </form>
  );
}
