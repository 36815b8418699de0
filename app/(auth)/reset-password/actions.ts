"use server";

import { resetPassword } from "@/lib/auth/passwords/password-reset";
import { ResetPasswordInput, TokenSchema } from "@/lib/auth/schemas";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { AppError } from "@/lib/errors";
import { attemptFormAction, formSuccess, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { validate } from "@/lib/http/read-json";

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
  const failed = await attemptFormAction({}, async (meta) => {
    const token = TokenSchema.safeParse(fields.token);
    // A mangled token is, for the person holding the link, just a link that does not work.
    if (!token.success) throw new AppError("invalidToken");
    const { password } = validate(NewPasswordInput, fields);
    await resetPassword({ token: token.data, password }, meta);
    // The "your password was changed" notice.
    scheduleEmailDelivery();
  });
  return failed ?? formSuccess({});
}
