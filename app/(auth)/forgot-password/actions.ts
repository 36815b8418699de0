"use server";

import { requestPasswordReset } from "@/lib/auth/passwords/password-reset";
import { EmailOnlyInput } from "@/lib/auth/schemas";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { attemptFormAction, formSuccess, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { validate } from "@/lib/http/read-json";

export type ForgotPasswordField = "email";

/** Succeeds the same way whether or not the address has an account (no enumeration). */
export async function requestPasswordResetAction(
  _previous: FormState<ForgotPasswordField>,
  formData: FormData,
): Promise<FormState<ForgotPasswordField>> {
  const fields = readFormFields(formData, ["email"]);
  const values = { email: fields.email };
  const failed = await attemptFormAction(values, async (meta) => {
    const { email } = validate(EmailOnlyInput, fields);
    await requestPasswordReset(email, meta);
    scheduleEmailDelivery();
  });
  return failed ?? formSuccess(values);
}
