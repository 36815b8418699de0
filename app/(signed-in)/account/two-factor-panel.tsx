"use client";

import { useActionState } from "react";
import {
  beginTotpAction,
  confirmTotpAction,
  disableTotpAction,
  regenerateRecoveryCodesAction,
  type RecoveryCodesState,
} from "@/app/(signed-in)/account/totp-actions";
import { ActionButton } from "@/app/_components/action-button";
import { FormAlert } from "@/app/_components/form-alert";
import { FormField } from "@/app/_components/form-field";
import { SubmitButton } from "@/app/_components/submit-button";
import { initialFormState } from "@/lib/forms/form-state";

const initialCodesState: RecoveryCodesState = { ...initialFormState(), recoveryCodes: null };

export type TwoFactorView = { enabled: boolean; recoveryCodesLeft: number; setup: { secret: string; qrSvg: string } | null };

/**
 * Off: "Set up", then the QR code, the secret as text and a code field. On:
 * how many recovery codes are left, "New recovery codes" and "Turn off".
 * Recovery codes appear once, in the answer of the action that made them.
 */
export function TwoFactorPanel({ view }: { view: TwoFactorView }) {
  const [confirmed, confirmAction] = useActionState(confirmTotpAction, initialCodesState);
  const [regenerated, regenerateAction] = useActionState(regenerateRecoveryCodesAction, initialCodesState);
  const codes = confirmed.recoveryCodes ?? regenerated.recoveryCodes;
  return (
    <div className="space-y-5 px-5 py-5">
      {codes ? <RecoveryCodes codes={codes} /> : null}
      {view.enabled ? (
        <>
          <p className="text-sm text-zinc-700">
            <strong>On.</strong> Signing in asks for a code from your authenticator app after your password.{" "}
            <span data-testid="recovery-codes-left">
              {view.recoveryCodesLeft} of 10 recovery codes left.
            </span>
          </p>
          <div className="flex flex-wrap items-start gap-3">
            <form action={regenerateAction} className="flex items-center gap-3">
              {regenerated.formError ? (
                <p role="alert" className="max-w-56 text-xs leading-4 text-red-600">
                  {regenerated.formError.message}
                </p>
              ) : null}
              <SubmitButton variant="secondary" size="sm" pendingLabel="Making codes…">
                New recovery codes
              </SubmitButton>
            </form>
            <ActionButton action={disableTotpAction} variant="danger" pendingLabel="Turning off…">
              Turn off
            </ActionButton>
          </div>
        </>
      ) : view.setup ? (
        <div className="space-y-4">
          <p className="text-sm text-zinc-700">Scan this QR code with your authenticator app, or type the key below into it. Then enter the code it shows.</p>
          {/* SVG markup made on the server by the qrcode package from the otpauth URI alone. */}
          <div className="size-48" role="img" aria-label="QR code for your authenticator app" dangerouslySetInnerHTML={{ __html: view.setup.qrSvg }} />
          <p className="text-sm text-zinc-700">
            Key: <code data-testid="totp-secret" className="font-mono text-xs break-all">{view.setup.secret}</code>
          </p>
          <form action={confirmAction} noValidate className="space-y-4 [&>[role=alert]:empty]:hidden">
            <FormAlert state={confirmed} />
            <FormField label="Code from the app" name="code" inputMode="numeric" autoComplete="one-time-code" required error={confirmed.fieldErrors.code} />
            <SubmitButton pendingLabel="Checking…">Turn on</SubmitButton>
          </form>
        </div>
      ) : (
        <>
          <p className="text-sm text-zinc-700">Off. Add a code from an authenticator app to your sign-in, so a stolen password alone is not enough.</p>
          <ActionButton action={beginTotpAction} variant="primary" size="md" pendingLabel="Starting…">
            Set up
          </ActionButton>
        </>
      )}
    </div>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <div role="status" className="space-y-2 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-3 text-sm text-emerald-900">
      <p>
        Your recovery codes. Save them somewhere safe now: <strong>you will not see them again</strong>. Each signs you in once if you lose
        your authenticator.
      </p>
      <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-1 font-mono text-xs">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
    </div>
  );
}
