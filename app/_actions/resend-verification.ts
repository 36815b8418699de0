"use server";

import { resendVerification } from "@/lib/auth/accounts/resend-verification";
import { EmailOnlyInput } from "@/lib/auth/schemas";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { attemptFormAction, formSuccess, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { validate } from "@/lib/http/read-json";

export type ResendVerificationField = "email";

/** Succeeds the same way for every address, unverified or not, known or not (no enumeration). */
export async function resendVerificationAction(
  _previous: FormState<ResendVerificationField>,
  formData: FormData,
): Promise<FormState<ResendVerificationField>> {
  const fields = readFormFields(formData, ["email"]);
  const values = { email: fields.email };
  const failed = await attemptFormAction(values, async (meta) => {
    const { email } = validate(EmailOnlyInput, fields);
    await resendVerification(email, meta);
    scheduleEmailDelivery();
  });
  return failed ?? formSuccess(values);
}
