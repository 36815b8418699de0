"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { requireLiveUser } from "@/lib/auth/dal";
import { secondFactorActor } from "@/lib/auth/second-factor/actor";
import { SecondFactorCodeInput } from "@/lib/auth/second-factor/schemas";
import { beginTotpEnrolment, confirmTotpEnrolment, disableTotp, regenerateRecoveryCodes } from "@/lib/auth/second-factor/totp-enrolment";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { attemptFormAction, formSuccess, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { validate } from "@/lib/http/read-json";

// /account's two-factor panel: the same services as /api/auth/totp and
// /api/auth/recovery-codes, each behind the same step-up check.

const ACCOUNT_PATH = "/account";

export type TotpCodeField = "code";
/** `recoveryCodes` reach this one answer only, to be shown once. */
export type RecoveryCodesState = FormState<TotpCodeField> & { recoveryCodes: string[] | null };

/** Starts a set-up; the page then draws it (QR code, secret, code field) from the database until it is confirmed. */
export async function beginTotpAction(_previous: FormState<never>): Promise<FormState<never>> {
  const failed = await attemptFormAction({}, async (meta) => {
    const { live } = await requireLiveUser(ACCOUNT_PATH);
    await beginTotpEnrolment(await getDb(), secondFactorActor(live, meta));
  });
  if (failed) return failed;
  revalidatePath(ACCOUNT_PATH);
  return formSuccess({});
}

export async function confirmTotpAction(_previous: RecoveryCodesState, formData: FormData): Promise<RecoveryCodesState> {
  const fields = readFormFields(formData, ["code"]);
  let recoveryCodes: string[] | null = null;
  const failed = await attemptFormAction({}, async (meta) => {
    const { live } = await requireLiveUser(ACCOUNT_PATH);
    const { code } = validate(SecondFactorCodeInput, fields);
    recoveryCodes = (await confirmTotpEnrolment(await getDb(), { ...secondFactorActor(live, meta), code })).recoveryCodes;
    scheduleEmailDelivery();
  });
  if (failed) return { ...failed, recoveryCodes: null };
  revalidatePath(ACCOUNT_PATH);
  return { ...formSuccess({}), recoveryCodes };
}

export async function regenerateRecoveryCodesAction(_previous: RecoveryCodesState): Promise<RecoveryCodesState> {
  let recoveryCodes: string[] | null = null;
  const failed = await attemptFormAction({}, async (meta) => {
    const { live } = await requireLiveUser(ACCOUNT_PATH);
    recoveryCodes = (await regenerateRecoveryCodes(await getDb(), secondFactorActor(live, meta))).recoveryCodes;
    scheduleEmailDelivery();
  });
  if (failed) return { ...failed, recoveryCodes: null };
  revalidatePath(ACCOUNT_PATH);
  return { ...formSuccess({}), recoveryCodes };
}

export async function disableTotpAction(_previous: FormState<never>): Promise<FormState<never>> {
  const failed = await attemptFormAction({}, async (meta) => {
    const { live } = await requireLiveUser(ACCOUNT_PATH);
    await disableTotp(await getDb(), secondFactorActor(live, meta));
    scheduleEmailDelivery();
  });
  if (failed) return failed;
  revalidatePath(ACCOUNT_PATH);
  return formSuccess({});
}
