"use client";

import { useEffect, useState } from "react";
import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, WebAuthnAbortService } from "@simplewebauthn/browser";
import { signInWithPasskey } from "@/app/_components/passkey-ceremony";
import { PasskeyButton } from "@/app/_components/passkey-button";

/**
 * "Sign in with a passkey", and (`autofill`, beside an email field) the same
 * offered in that field's suggestions (conditional mediation) where the
 * browser can. `next` was made safe by the page (safeNextPath); a full
 * navigation lets the server draw it with the new session.
 */
export function PasskeySignIn({ next, autofill: withAutofill = true }: { next: string; autofill?: boolean }) {
  const [supported, setSupported] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setSupported(browserSupportsWebAuthn());
    const left = new AbortController();
    void browserSupportsWebAuthnAutofill().then(async (autofill) => {
      if (!withAutofill || !autofill || left.signal.aborted) return;
      const outcome = await signInWithPasskey(true, left.signal);
      if (left.signal.aborted || "aborted" in outcome) return;
      if (outcome.ok) window.location.assign(next);
      else setError(outcome.message);
    });
    return () => {
      // Leaving the page (a sign-in with the password navigates client-side, or React's development
      // double mount) ends the autofill request, or stops it before it starts.
      left.abort();
      WebAuthnAbortService.cancelCeremony();
    };
  }, [next, withAutofill]);

  if (!supported) return null;
  return (
    <div className="space-y-3">
      <p className="flex items-center gap-3 text-xs text-zinc-500" aria-hidden="true">
        <span className="h-px flex-1 bg-zinc-200" /> or <span className="h-px flex-1 bg-zinc-200" />
      </p>
      <PasskeyButton ceremony="sign_in" next={next} label="Sign in with a passkey" problem={error} />
    </div>
  );
}
