"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { buttonClass } from "@/app/_components/button-styles";
import { textLinkClass } from "@/app/_components/auth-card";
import { stepUpWithPasskey } from "@/app/_components/passkey-ceremony";
import type { StepUpMethods as Methods } from "@/lib/auth/step-up/sign-in-methods";

const inputClass =
  "block h-9 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm text-zinc-900 shadow-xs focus:border-indigo-600 focus:ring-3 focus:ring-indigo-600/20 focus:outline-hidden";

/**
 * What a form shows when its action answered `reauthentication_required`:
 * the person confirms who they are right here (their password, a code, or a
 * passkey, whichever their account allows), and the form they sent is sent
 * again. It sits inside that form, so it uses no form of its own and its
 * inputs have no name (they are never sent with the form); Enter confirms.
 * Without JavaScript it is a link to /reauthenticate, which comes back here.
 */
export function ReauthenticatePrompt({ message }: { message: string }) {
  const stepUpPage = `/reauthenticate?next=${encodeURIComponent(usePathname() ?? "/account")}`;
  const root = useRef<HTMLDivElement>(null);
  const [methods, setMethods] = useState<Methods | null>(null);
  const [secret, setSecret] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmed, setConfirmed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    void fetch("/api/auth/reauthenticate", { cache: "no-store" })
      .then((response) => (response.ok ? (response.json() as Promise<{ methods: Methods }>) : null))
      .then((body) => {
        if (!cancelled && body) setMethods(body.methods);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);

  async function confirm(body: Record<string, unknown>) {
    setBusy(true);
    setProblem(null);
    try {
      const response = await fetch("/api/auth/reauthenticate", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (response.ok) {
        resend();
        return;
      }
      const failure = (await response.json().catch(() => null)) as { error?: { message?: string; fields?: Record<string, string> } } | null;
      setProblem(Object.values(failure?.error?.fields ?? {})[0] ?? failure?.error?.message ?? "That did not work. Try again.");
    } catch {
      setProblem("That did not work. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  /** Sends the form again, unless something it needs is empty (a password it never refills): then the person sends it. */
  function resend() {
    const form = root.current?.closest("form");
    if (form?.checkValidity()) {
      form.requestSubmit();
      return;
    }
    setConfirmed(true);
    form?.querySelector<HTMLElement>(":invalid")?.focus();
  }

  async function confirmWithPasskey() {
    setBusy(true);
    setProblem(null);
    const outcome = await stepUpWithPasskey();
    setBusy(false);
    if (outcome.ok) resend();
    else if (!("aborted" in outcome)) setProblem(outcome.message);
  }

  const field = methods?.password ? "password" : methods?.totp ? "code" : null;
  const submitField = () => (field ? confirm({ [field]: secret }) : undefined);
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    void submitField();
  };

  return (
    <div ref={root} role="alert" className="w-full space-y-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-3 text-left text-sm text-amber-900">
      <p>{message}</p>
      {confirmed ? (
        <p>Confirmed for the next 10 minutes. Fill in the form and send it again.</p>
      ) : methods === null ? (
        <p>
          <Link href={stepUpPage} className={textLinkClass}>
            Confirm it is you
          </Link>
        </p>
      ) : (
        <div className="space-y-2">
          {field ? (
            <div className="flex flex-wrap items-end gap-2">
              <label className="min-w-48 flex-1 space-y-1">
                <span className="block text-xs font-medium text-amber-950">{field === "password" ? "Your password" : "Code from your authenticator app, or a recovery code"}</span>
                <input
                  type={field === "password" ? "password" : "text"}
                  autoComplete={field === "password" ? "current-password" : "one-time-code"}
                  inputMode={field === "code" ? "text" : undefined}
                  value={secret}
                  onChange={(event) => setSecret(event.target.value)}
                  onKeyDown={onKeyDown}
                  className={inputClass}
                  autoFocus
                />
              </label>
              <button type="button" disabled={busy || secret === ""} onClick={() => void submitField()} className={buttonClass({ size: "sm" })}>
                {busy ? "Confirming…" : "Confirm"}
              </button>
            </div>
          ) : null}
          {methods.passkey ? (
            <button type="button" disabled={busy} onClick={() => void confirmWithPasskey()} className={buttonClass({ variant: "secondary", size: "sm" })}>
              Use a passkey
            </button>
          ) : null}
          {!field && !methods.passkey ? (
            <p>
              <Link href={stepUpPage} className={textLinkClass}>
                Confirm it is you
              </Link>
            </p>
          ) : null}
          {problem ? <p className="text-red-700">{problem}</p> : null}
        </div>
      )}
    </div>
  );
}
