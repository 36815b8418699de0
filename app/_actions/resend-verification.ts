"use server";

import { headers } from "next/headers";
import { resendVerification } from "@/lib/auth/resend-verification";
import { EmailOnlyInput } from "@/lib/auth/schemas";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { formFailure, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { clientMeta } from "@/lib/http/client-meta";
import { validate } from "@/lib/http/read-json";
import { assertSameSite } from "@/lib/http/same-site";

export type ResendVerificationField = "email";

/** Succeeds the same way for every address, unverified or not, known or not (no enumeration). */
export async function resendVerificationAction(
  _previous: FormState<ResendVerificationField>,
  formData: FormData,
): Promise<FormState<ResendVerificationField>> {
  const fields = readFormFields(formData, ["email"]);
  const values = { email: fields.email };
  try {
    const requestHeaders = await headers();
    assertSameSite(requestHeaders);
    const { email } = validate(EmailOnlyInput, fields);
    await resendVerification(email, await clientMeta(requestHeaders));
    scheduleEmailDelivery();
  } catch (error) {
    return formFailure(error, values);
  }
  return { status: "success", fieldErrors: {}, formError: null, values };
}
