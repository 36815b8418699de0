"use client";

import { useActionState, type ReactNode } from "react";
import type { ButtonStyle } from "@/app/_components/button-styles";
import { SubmitButton } from "@/app/_components/submit-button";
import { initialFormState, type FormState } from "@/lib/forms/form-state";

type ButtonAction = (previous: FormState<never>, formData: FormData) => Promise<FormState<never>>;

/**
 * A form that is only a button, for actions that take no typed input: sign
 * out, sign a device out, sign out everywhere. A POST form, never a link:
 * these change state, and a GET could be triggered by any page (SECURITY.md:
 * no state change over GET, logout included). The action's error shows
 * beside the button.
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
  return (
    <form action={formAction} className="flex items-center gap-3">
      {state.formError ? (
        <p role="alert" className="max-w-56 text-right text-xs leading-4 text-red-600">
          {state.formError.message}
        </p>
      ) : null}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton variant={variant} size={size} pendingLabel={pendingLabel} label={label}>
        {children}
      </SubmitButton>
    </form>
  );
}
