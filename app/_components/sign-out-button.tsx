"use client";

import { useActionState } from "react";
import { signOutAction } from "@/app/_actions/sign-out";
import { SubmitButton } from "@/app/_components/submit-button";
import { initialFormState } from "@/lib/forms/form-state";

// A POST form, never a link: signing out changes state, and a GET could be
// triggered by any page (SECURITY.md: no state change over GET, logout included).
export function SignOutButton() {
  const [state, action] = useActionState(signOutAction, initialFormState<never>());
  return (
    <form action={action} className="flex items-center gap-3">
      {state.formError ? (
        <p role="alert" className="max-w-56 text-right text-xs leading-4 text-red-600">
          {state.formError.message}
        </p>
      ) : null}
      <SubmitButton variant="secondary" size="sm" pendingLabel="Signing out…">
        Sign out
      </SubmitButton>
    </form>
  );
}
