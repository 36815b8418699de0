"use server";

import { headers } from "next/headers";
import { resetPassword } from "@/lib/auth/password-reset";
import { ResetPasswordInput, TokenSchema } from "@/lib/auth/schemas";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { AppError } from "@/lib/errors";
import { formFailure, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { clientMeta } from "@/lib/http/client-meta";
import { validate } from "@/lib/http/read-json";
import { assertSameSite } from "@/lib/http/same-site";

export type ResetPasswordField = "password";

const NewPasswordInput = ResetPasswordInput.pick({ password: true });

/**
 * Sets the new password and ends every session of the account. It signs no
 * one in (SECURITY.md, One-time tokens): the page sends the user to sign in
 * with the new password.
 */
export async function resetPasswordAction(
  _previous: FormState<ResetPasswordField>,
  formData: FormData,
): Promise<FormState<ResetPasswordField>> {
  const fields = readFormFields(formData, ["token", "password"]);
  try {
    const requestHeaders = await headers();
    assertSameSite(requestHeaders);
    const token = TokenSchema.safeParse(fields.token);
    // A mangled token is, for the person holding the link, just a link that does not work.
    if (!token.success) throw new AppError("invalidToken");
    const { password } = validate(NewPasswordInput, fields);
    await resetPassword({ token: token.data, password }, await clientMeta(requestHeaders));
    // The "your password was changed" notice.
    scheduleEmailDelivery();
  } catch (error) {
    return formFailure(error, {});
  }
  return { status: "success", fieldErrors: {}, formError: null, values: {} };
}
