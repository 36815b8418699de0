import { ReauthenticatePrompt } from "@/app/_components/reauthenticate-prompt";
import { ERRORS } from "@/lib/errors";
import type { FormState } from "@/lib/forms/form-state";

/**
 * The form's error summary. role="alert" makes screen readers announce it as
 * soon as the action answers; field messages stay beside their fields (and
 * are not repeated here, so each message appears once on the page).
 */
export function FormAlert({ state }: { state: FormState<string> }) {
  // A change that wants a fresh authentication asks for it here, and the form is sent again once given.
  if (state.formError?.code === ERRORS.reauthenticationRequired.code) return <ReauthenticatePrompt message={state.formError.message} />;
  const fieldCount = Object.keys(state.fieldErrors).length;
  const message =
    state.formError?.message ??
    (fieldCount === 1 ? "Check the highlighted field." : fieldCount > 1 ? `Check the ${fieldCount} highlighted fields.` : null);
  return (
    <div role="alert" className={message ? "rounded-md border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-800" : undefined}>
      {message}
    </div>
  );
}
