"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { readDeviceCookie, setDeviceCookie } from "@/lib/auth/sessions/device-cookie";
import { logIn } from "@/lib/auth/passwords/login";
import { LoginInput } from "@/lib/auth/schemas";
import { secondFactorPagePath } from "@/lib/auth/second-factor/second-factor-page";
import { setPendingSignInCookie } from "@/lib/auth/second-factor/pending-cookie";
import { setSessionCookies } from "@/lib/auth/sessions/session-cookies";
import { attemptFormAction, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { validate } from "@/lib/http/read-json";
import { safeNextPath } from "@/lib/http/safe-redirect";

export type LoginField = "email" | "password";

export async function logInAction(_previous: FormState<LoginField>, formData: FormData): Promise<FormState<LoginField>> {
  const fields = readFormFields(formData, ["email", "password", "next"]);
  const next = safeNextPath(fields.next);
  let secondFactor = false;
  const failed = await attemptFormAction({ email: fields.email }, async (meta) => {
    const input = validate(LoginInput, fields);
    const jar = await cookies();
    const outcome = await logIn(input, { kind: "browser", meta, deviceCookie: readDeviceCookie(jar) });
    if (outcome.kind === "second_factor") {
      setPendingSignInCookie(jar, outcome.pending);
      secondFactor = true;
      return;
    }
    scheduleEmailDelivery();
    setSessionCookies(jar, outcome.signedIn);
    await setDeviceCookie(jar, input.email.canonical);
  });
  if (failed) return failed;
  redirect(secondFactor ? secondFactorPagePath(next) : next);
}
