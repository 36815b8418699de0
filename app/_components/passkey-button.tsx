"use client";

import { useState } from "react";
import { buttonClass } from "@/app/_components/button-styles";
import { signInWithPasskey, stepUpWithPasskey } from "@/app/_components/passkey-ceremony";

const CEREMONIES = { sign_in: () => signInWithPasskey(false), step_up: stepUpWithPasskey } as const;

/**
 * A button that runs a passkey ceremony (a sign-in, or a step-up), then goes
 * to `next` (made safe by the page) with a full navigation, so the server
 * draws it with the new session. `problem`: a message from elsewhere on the
 * page (the autofill ceremony), shown in the same place.
 */
export function PasskeyButton({ ceremony, next, label, problem = null }: { ceremony: keyof typeof CEREMONIES; next: string; label: string; problem?: string | null }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onClick() {
    setPending(true);
    setError(null);
    // Starting this ceremony aborts any other in progress (the library allows one at a time).
    const outcome = await CEREMONIES[ceremony]();
    if (outcome.ok) {
      window.location.assign(next);
      return;
    }
    setPending(false);
    if (!("aborted" in outcome)) setError(outcome.message);
  }

  const shown = error ?? problem;
  return (
    <div className="space-y-3">
      <div role="alert" className={shown ? "rounded-md border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-800" : undefined}>
        {shown}
      </div>
      <button type="button" onClick={onClick} disabled={pending} className={buttonClass({ variant: "secondary", wide: true })}>
        {pending ? "Waiting for your passkey…" : label}
      </button>
    </div>
  );
}
