"use client";

import { useState } from "react";
import { FormField } from "@/app/_components/form-field";
import { passwordStrength } from "@/lib/auth/passwords/password-strength";

const BAR_TONES = ["bg-zinc-200", "bg-red-500", "bg-amber-500", "bg-lime-500", "bg-emerald-600"];

/**
 * Every "choose a password" input: the policy stated up front (the server
 * checks the common-password list; the list never ships to the browser), the
 * browser's password manager invited, and a strength hint as the user types
 * (progressive enhancement: without JavaScript the form works without it).
 */
export function NewPasswordField({
  label,
  name,
  minLength,
  note = "A passphrase works well; common passwords, your email and your name are refused.",
  error,
}: {
  label: string;
  name: string;
  minLength: number;
  note?: string;
  error?: string | undefined;
}) {
  const [value, setValue] = useState("");
  const strength = passwordStrength(value, minLength);
  return (
    <div className="space-y-1.5">
      <FormField
        label={label}
        name={name}
        type="password"
        autoComplete="new-password"
        required
        hint={`At least ${minLength} characters. ${note}`}
        error={error}
        onChange={(event) => setValue(event.currentTarget.value)}
      />
      {value ? (
        <div className="flex items-center gap-2" data-testid="password-strength">
          <div className="flex flex-1 gap-1" aria-hidden="true">
            {[1, 2, 3, 4].map((step) => (
              <span key={step} className={`h-1 flex-1 rounded-full ${step <= strength.level ? BAR_TONES[strength.level] : "bg-zinc-200"}`} />
            ))}
          </div>
          <p className="w-20 text-right text-xs text-zinc-600" aria-live="polite">
            {strength.label}
          </p>
        </div>
      ) : null}
    </div>
  );
}
