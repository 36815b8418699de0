"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { VerifyEmailInput } from "@/lib/auth/schemas";
import { setSessionCookies } from "@/lib/auth/session-cookies";
import { verifyEmail } from "@/lib/auth/verify-email";
import { AppError } from "@/lib/errors";
import { attemptFormAction, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";

// Runs only on an explicit POST from the page's button: mail scanners fetch
// (and sometimes render) links, and must not use up the token by doing so.
export async function verifyEmailAction(_previous: FormState<never>, formData: FormData): Promise<FormState<never>> {
  const failed = await attemptFormAction({}, async (meta) => {
    const parsed = VerifyEmailInput.safeParse(readFormFields(formData, ["token"]));
    // A mangled token is, for the person holding the link, just a link that does not work.
    if (!parsed.success) throw new AppError("invalidToken");
    const signedIn = await verifyEmail(parsed.data.token, meta);
    await setSessionCookies(await cookies(), signedIn);
  });
  if (failed) return failed;
  redirect("/dashboard");
}
