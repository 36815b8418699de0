"use server";

import { headers } from "next/headers";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { EmailOnlyInput } from "@/lib/auth/schemas";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { formFailure, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { clientMeta } from "@/lib/http/client-meta";
import { validate } from "@/lib/http/read-json";
import { assertSameSite } from "@/lib/http/same-site";

export type ForgotPasswordField = "email";

/** Succeeds the same way whether or not the address has an account (no enumeration). */
export async function requestPasswordResetAction(
  _previous: FormState<ForgotPasswordField>,
  formData: FormData,
): Promise<FormState<ForgotPasswordField>> {
  const fields = readFormFields(formData, ["email"]);
  const values = { email: fields.email };
  try {
    const requestHeaders = await headers();
    assertSameSite(requestHeaders);
    const { email } = validate(EmailOnlyInput, fields);
    await requestPasswordReset(email, await clientMeta(requestHeaders));
    scheduleEmailDelivery();
  } catch (error) {
    return formFailure(error, values);
  }
  return { status: "success", fieldErrors: {}, formError: null, values };
}
