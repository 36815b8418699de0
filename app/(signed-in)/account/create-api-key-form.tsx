"use client";

import { useActionState, useState } from "react";
import { createApiKeyAction, type CreateApiKeyState } from "@/app/(signed-in)/account/api-key-actions";
import { FormAlert } from "@/app/_components/form-alert";
import { FormField } from "@/app/_components/form-field";
import { SubmitButton } from "@/app/_components/submit-button";
import { buttonClass } from "@/app/_components/button-styles";
import { initialFormState } from "@/lib/forms/form-state";

type ScopeOption = { scope: string; description: string };

const initialState: CreateApiKeyState = { ...initialFormState(), created: null };

/**
 * Name, lifetime and scopes; the new key is shown here once, from the
 * action's answer, and is gone with the next render of the page.
 */
export function CreateApiKeyForm({ scopes, lifetimes, allowNoExpiry }: { scopes: ScopeOption[]; lifetimes: number[]; allowNoExpiry: boolean }) {
  const [state, action] = useActionState(createApiKeyAction, initialState);
  const [copied, setCopied] = useState(false);
  return (
    <form action={action} noValidate className="space-y-5 px-5 py-5 [&>[role=alert]:empty]:hidden">
      {state.created ? (
        <div role="status" className="space-y-2 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-3 text-sm text-emerald-900">
          <p>
            API key “{state.created.name}” created. Copy it now: <strong>you will not see it again</strong>.
          </p>
          <div className="flex gap-2">
            <input
              aria-label="New API key"
              readOnly
              value={state.created.key}
              onFocus={(event) => event.currentTarget.select()}
              className="block h-9 w-full rounded-md border border-emerald-300 bg-white px-2 font-mono text-xs text-zinc-900"
            />
            <button
              type="button"
              className={buttonClass({ variant: "secondary", size: "sm" })}
              onClick={() => void navigator.clipboard?.writeText(state.created!.key).then(() => setCopied(true))}
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </div>
      ) : null}
      <FormAlert state={state} />
      <FormField label="Name" name="name" required maxLength={100} defaultValue={state.values.name} hint="What uses it, e.g. “deploy script”." error={state.fieldErrors.name} />
      <div className="space-y-1.5">
        <label htmlFor="expiresInDays" className="block text-sm font-medium text-zinc-800">
          Expires after
        </label>
        <select
          id="expiresInDays"
          name="expiresInDays"
          defaultValue={state.values.expiresInDays ?? String(lifetimes[0] ?? "none")}
          aria-invalid={state.fieldErrors.expiresInDays ? true : undefined}
          aria-describedby={state.fieldErrors.expiresInDays ? "expiresInDays-error" : undefined}
          className="block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm text-zinc-900"
        >
          {lifetimes.map((days) => (
            <option key={days} value={days}>
              {days} days
            </option>
          ))}
          {allowNoExpiry ? <option value="none">Never</option> : null}
        </select>
        {state.fieldErrors.expiresInDays ? (
          <p id="expiresInDays-error" className="text-sm text-red-600">
            {state.fieldErrors.expiresInDays}
          </p>
        ) : null}
      </div>
      <fieldset className="space-y-2" aria-describedby={state.fieldErrors.scopes ? "scopes-error" : undefined}>
        <legend className="text-sm font-medium text-zinc-800">Scopes</legend>
        {scopes.map(({ scope, description }) => (
          <label key={scope} className="flex items-start gap-2 text-sm text-zinc-800">
            <input type="checkbox" name="scopes" value={scope} defaultChecked={state.values.scopes === undefined ? scope === "me:read" : state.values.scopes.split(",").includes(scope)} className="mt-0.5" />
            <span>
              <code className="text-xs">{scope}</code> <span className="text-zinc-500">— {description}</span>
            </span>
          </label>
        ))}
        {state.fieldErrors.scopes ? (
          <p id="scopes-error" className="text-sm text-red-600">
            {state.fieldErrors.scopes}
          </p>
        ) : null}
      </fieldset>
      <SubmitButton pendingLabel="Creating key…">Create API key</SubmitButton>
    </form>
  );
}
