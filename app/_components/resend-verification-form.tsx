"use client";

import { useActionState } from "react";
import { resendVerificationAction, type ResendVerificationField } from "@/app/_actions/resend-verification";
import { EmailField } from "@/app/_components/email-field";
import { FormAlert } from "@/app/_components/form-alert";
import { SubmitButton } from "@/app/_components/submit-button";
import { initialFormState, type FormState } from "@/lib/forms/form-state";

type ResendState = FormState<ResendVerificationField>;

/**
 * The state lives in the page's form component rather than in
 * ResendVerificationForm: without JavaScript, posting this form renders the
 * page again with this state only (the other form's state is gone), and the
 * page needs it to keep showing the answer where the form was.
 */
export function useResendVerification() {
  return useActionState(resendVerificationAction, initialFormState<ResendVerificationField>());
}

/** Asks for a new confirmation link: for `email` when the page already knows it, else for the address typed here. */
export function ResendVerificationForm({
  state,
  action,
  email,
}: {
  state: ResendState;
  action: (formData: FormData) => void;
  email?: string | undefined;
}) {
  if (state.status === "success") {
    return (
      <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2.5 text-sm text-emerald-800">
        If that address needs confirming, a new link is on its way.
      </p>
    );
  }
  return (
    <form action={action} noValidate className="space-y-4 [&>[role=alert]:empty]:hidden">
      <FormAlert state={state} />
      {email ? (
        <input type="hidden" name="email" value={email} />
      ) : (
        <EmailField defaultValue={state.values.email} error={state.fieldErrors.email} />
      )}
      <SubmitButton variant={email ? "secondary" : "primary"} pendingLabel="Sending…" wide>
        Send a new confirmation link
      </SubmitButton>
    </form>
  );
}
