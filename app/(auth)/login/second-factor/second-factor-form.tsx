"use client";

import Link from "next/link";
import { useActionState } from "react";
import { secondFactorAction, type SecondFactorField } from "@/app/(auth)/login/second-factor/actions";
import { textLinkClass } from "@/app/_components/auth-card";
import { FormAlert } from "@/app/_components/form-alert";
import { FormField } from "@/app/_components/form-field";
import { SubmitButton } from "@/app/_components/submit-button";
import { ERRORS } from "@/lib/errors";
import { initialFormState } from "@/lib/forms/form-state";

/** One field for either kind of code (the server tells them apart); the label follows the method chosen. */
export function SecondFactorForm({ next, recovery }: { next: string; recovery: boolean }) {
  const [state, action] = useActionState(secondFactorAction, initialFormState<SecondFactorField>());
  const expired = state.formError?.code === ERRORS.secondFactorExpired.code;
  return (
    <form action={action} noValidate className="space-y-5">
      <FormAlert state={state} />
      {expired ? (
        <p className="text-sm">
          <Link href={`/login?${new URLSearchParams({ next })}`} className={textLinkClass}>
            Sign in again
          </Link>
        </p>
      ) : null}
      <input type="hidden" name="next" value={next} />
      {recovery ? (
        <FormField label="Recovery code" name="code" autoComplete="off" autoCapitalize="none" spellCheck={false} required error={state.fieldErrors.code} hint="One of the codes you saved, like abcd-efgh-ijkl-mnop." />
      ) : (
        <FormField label="Authentication code" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]*" required error={state.fieldErrors.code} hint="The six digits your authenticator app shows." />
      )}
      <SubmitButton pendingLabel="Checking…" wide>
        Continue
      </SubmitButton>
    </form>
  );
}
