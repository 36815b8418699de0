"use client";

import { useState } from "react";
import { buttonClass } from "@/app/_components/button-styles";
import { stepUpWithPasskey } from "@/app/_components/passkey-ceremony";

/** Confirms with one of the account's passkeys, then goes back to `next` (made safe by the page). */
export function PasskeyStepUp({ next }: { next: string }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function onClick() {
    setPending(true);
    setError(null);
    const outcome = await stepUpWithPasskey();
    if (outcome.ok) {
      window.location.assign(next);
      return;
    }
    setPending(false);
    if (!("aborted" in outcome)) setError(outcome.message);
  }
  return (
    <div className="space-y-3">
      <div role="alert" className={error ? "rounded-md border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-800" : undefined}>
        {error}
      </div>
      <button type="button" onClick={onClick} disabled={pending} className={buttonClass({ variant: "secondary", wide: true })}>
        {pending ? "Waiting for your passkey…" : "Use a passkey"}
      </button>
    </div>
  );
}
