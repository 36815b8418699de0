"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { parseEmailAddress } from "@/lib/auth/accounts/email-address";
import { completeSecondFactorSignIn } from "@/lib/auth/second-factor/complete-sign-in";
import { clearPendingSignInCookie, readPendingSignInCookie } from "@/lib/auth/second-factor/pending-cookie";
import { SecondFactorCodeInput } from "@/lib/auth/second-factor/schemas";
import { setDeviceCookie } from "@/lib/auth/sessions/device-cookie";
import { setSessionCookies } from "@/lib/auth/sessions/session-cookies";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { AppError } from "@/lib/errors";
import { attemptFormAction, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { validate } from "@/lib/http/read-json";
import { safeNextPath } from "@/lib/http/safe-redirect";

// The second step of a sign-in from /login/second-factor: the same service as POST /api/auth/login/second-factor.

export type SecondFactorField = "code";

export async function secondFactorAction(_previous: FormState<SecondFactorField>, formData: FormData): Promise<FormState<SecondFactorField>> {
  const fields = readFormFields(formData, ["code", "next"]);
  const failed = await attemptFormAction({}, async (meta) => {
    const { code } = validate(SecondFactorCodeInput, fields);
    const jar = await cookies();
    const pending = readPendingSignInCookie(jar);
    if (!pending) {
      clearPendingSignInCookie(jar);
      throw new AppError("secondFactorExpired");
    }
    const signedIn = await completeSecondFactorSignIn(pending, { code, meta });
    scheduleEmailDelivery();
    clearPendingSignInCookie(jar);
    setSessionCookies(jar, signedIn);
    const email = parseEmailAddress(signedIn.user.email);
    if (email) await setDeviceCookie(jar, email.canonical);
  });
  if (failed) return failed;
  redirect(safeNextPath(fields.next));
}
