"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { logIn } from "@/lib/auth/login";
import { LoginInput } from "@/lib/auth/schemas";
import { setSessionCookies } from "@/lib/auth/session-cookies";
import { attemptFormAction, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { validate } from "@/lib/http/read-json";
import { safeNextPath } from "@/lib/http/safe-redirect";

export type LoginField = "email" | "password";

export async function logInAction(_previous: FormState<LoginField>, formData: FormData): Promise<FormState<LoginField>> {
  const fields = readFormFields(formData, ["email", "password", "next"]);
  const failed = await attemptFormAction({ email: fields.email }, async (meta) => {
    const signedIn = await logIn(validate(LoginInput, fields), { kind: "browser", meta });
    scheduleEmailDelivery();
    await setSessionCookies(await cookies(), signedIn);
  });
  if (failed) return failed;
  redirect(safeNextPath(fields.next));
}
