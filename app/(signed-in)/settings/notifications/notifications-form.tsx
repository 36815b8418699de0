"use client";

import { useActionState } from "react";
import { saveNotificationsAction, type NotificationsField } from "@/app/(signed-in)/settings/notifications/actions";
import { FormAlert } from "@/app/_components/form-alert";
import { SubmitButton } from "@/app/_components/submit-button";
import { initialFormState } from "@/lib/forms/form-state";

const FIELD = "newDeviceSignIn";

export function NotificationsForm({ newDeviceSignIn }: { newDeviceSignIn: boolean }) {
  const [state, action] = useActionState(saveNotificationsAction, initialFormState<NotificationsField>());
  // After a submission the box shows what was sent: saved, or still to save when saving failed.
  const checked = state.status === "idle" ? newDeviceSignIn : state.values.newDeviceSignIn === "on";
  const error = state.fieldErrors.newDeviceSignIn;
  return (
    <form action={action} noValidate className="space-y-5 px-5 py-5 [&>[role=alert]:empty]:hidden">
      {state.status === "success" ? (
        <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2.5 text-sm text-emerald-800">
          Saved. New-device sign-in emails are {checked ? "on" : "off"}.
        </p>
      ) : null}
      <FormAlert state={state} />
      <div className="flex items-start gap-3">
        <input
          id={FIELD}
          name={FIELD}
          type="checkbox"
          defaultChecked={checked}
          aria-invalid={error ? true : undefined}
          aria-describedby={[`${FIELD}-hint`, error ? `${FIELD}-error` : null].filter(Boolean).join(" ")}
          className="mt-0.5 size-4 shrink-0 accent-indigo-600"
        />
        <div className="space-y-1">
          <label htmlFor={FIELD} className="block text-sm font-medium text-zinc-800">
            Email me when a new device signs in to my account
          </label>
          <p id={`${FIELD}-hint`} className="text-sm text-zinc-500">
            A browser or system your account has not used before. Emails with sign-in links and about your password are
            always sent.
          </p>
          {error ? (
            <p id={`${FIELD}-error`} className="text-sm text-red-600">
              {error}
            </p>
          ) : null}
        </div>
      </div>
      <SubmitButton pendingLabel="Saving…">Save</SubmitButton>
    </form>
  );
}
