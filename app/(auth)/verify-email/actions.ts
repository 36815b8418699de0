"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { VerifyEmailInput } from "@/lib/auth/schemas";
import { setSessionCookies } from "@/lib/auth/sessions/session-cookies";
import { clearSignupCookie, readSignupCookie } from "@/lib/auth/accounts/signup-marker";
import { verifyEmail } from "@/lib/auth/accounts/verify-email";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { AppError } from "@/lib/errors";
import { attemptFormAction, formSuccess, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { validate } from "@/lib/http/read-json";

/** `email` only in a success's values: the address confirmed without a sign-in. */
export type VerifyEmailField = "password" | "email";

const TokenOnly = VerifyEmailInput.pick({ token: true });
const PasswordOnly = VerifyEmailInput.pick({ password: true });

// Runs only on an explicit POST from the page's button: mail scanners fetch
// (and sometimes render) links, and must not use up the token by doing so.
export async function verifyEmailAction(_previous: FormState<VerifyEmailField>, formData: FormData): Promise<FormState<VerifyEmailField>> {
  const fields = readFormFields(formData, ["token", "password"]);
  const outcome: { confirmed?: string } = {};
  const failed = await attemptFormAction<VerifyEmailField>({}, async (meta) => {
    const parsed = TokenOnly.safeParse(fields);
    // A mangled token is, for the person holding the link, just a link that does not work.
    if (!parsed.success) throw new AppError("invalidToken");
    const { password } = validate(PasswordOnly, fields);
    const jar = await cookies();
    const { user, signedIn } = await verifyEmail({ token: parsed.data.token, password, marker: readSignupCookie(jar) }, meta);
    if (!signedIn) {
      // The link to choose a password.
      scheduleEmailDelivery();
      outcome.confirmed = user.email;
      return;
    }
    setSessionCookies(jar, signedIn);
    clearSignupCookie(jar);
  });
  if (failed) return failed;
  if (outcome.confirmed) return formSuccess<VerifyEmailField>({ email: outcome.confirmed });
  redirect("/dashboard");
}
