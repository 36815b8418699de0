"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callJson } from "@/app/_components/passkey-ceremony";
import { buttonClass } from "@/app/_components/button-styles";

/** Rename (a label only) and remove (asks for a recent sign-in, answered by the server) one passkey. */
export function PasskeyControls({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [renaming, setRenaming] = useState(false);
  const [draft, setDraft] = useState(name);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(call: () => ReturnType<typeof callJson>) {
    setPending(true);
    setError(null);
    const outcome = await call();
    setPending(false);
    if (!outcome.ok) {
      setError("message" in outcome ? outcome.message : null);
      return;
    }
    setRenaming(false);
    router.refresh();
  }

  const path = `/api/auth/passkeys/${encodeURIComponent(id)}`;
  return (
    <div className="flex flex-col items-end gap-2">
      {renaming ? (
        <form
          className="flex gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => callJson(path, "PATCH", { name: draft }));
          }}
        >
          <input
            aria-label={`New name for ${name}`}
            value={draft}
            maxLength={64}
            onChange={(event) => setDraft(event.target.value)}
            className="block h-8 w-48 rounded-md border border-zinc-300 bg-white px-2 text-sm text-zinc-900"
          />
          <button type="submit" disabled={pending} className={buttonClass({ size: "sm" })}>
            Save
          </button>
          <button type="button" onClick={() => setRenaming(false)} className={buttonClass({ variant: "secondary", size: "sm" })}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="flex gap-2">
          <button type="button" aria-label={`Rename ${name}`} onClick={() => setRenaming(true)} className={buttonClass({ variant: "secondary", size: "sm" })}>
            Rename
          </button>
          <button
            type="button"
            aria-label={`Remove ${name}`}
            disabled={pending}
            onClick={() => void run(() => callJson(path, "DELETE"))}
            className={buttonClass({ variant: "danger", size: "sm" })}
          >
            {pending ? "Removing…" : "Remove"}
          </button>
        </div>
      )}
      <p role="alert" className="max-w-xs text-right text-sm text-red-700 empty:hidden">
        {error}
      </p>
    </div>
  );
}
