"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { addPasskey } from "@/app/_components/passkey-ceremony";
import { buttonClass } from "@/app/_components/button-styles";
import { FormField } from "@/app/_components/form-field";

/** A name, then the browser's own passkey prompt; the list is drawn again by the server. */
export function AddPasskeyForm() {
  const router = useRouter();
  const [supported, setSupported] = useState(true);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  useEffect(() => setSupported(browserSupportsWebAuthn()), []);

  if (!supported) return <p className="px-5 py-4 text-sm text-zinc-500">This browser cannot make passkeys.</p>;

  return (
    <form
      noValidate
      className="space-y-4 px-5 py-5"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const name = String(new FormData(form).get("passkeyName") ?? "");
        setPending(true);
        setError(null);
        setAdded(null);
        const outcome = await addPasskey(name);
        setPending(false);
        if (!outcome.ok) {
          if ("message" in outcome) setError(outcome.message);
          return;
        }
        form.reset();
        setAdded(name.trim() || "Passkey");
        router.refresh();
      }}
    >
      <div role="alert" className={error ? "rounded-md border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-800" : undefined}>
        {error}
      </div>
      {added ? (
        <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2.5 text-sm text-emerald-900">
          Passkey “{added}” added. You can sign in with it now.
        </p>
      ) : null}
      <FormField label="Passkey name" name="passkeyName" maxLength={64} placeholder="Passkey" hint="Which device or password manager holds it, e.g. “Work laptop”." />
      <button type="submit" disabled={pending} className={buttonClass()}>
        {pending ? "Waiting for your device…" : "Add passkey"}
      </button>
    </form>
  );
}
