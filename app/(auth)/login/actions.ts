"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { logIn } from "@/lib/auth/login";
import { LoginInput } from "@/lib/auth/schemas";
import { setSessionCookies } from "@/lib/auth/session-cookies";
import { formFailure, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { clientMeta } from "@/lib/http/client-meta";
import { validate } from "@/lib/http/read-json";
import { safeNextPath } from "@/lib/http/safe-redirect";
import { assertSameSite } from "@/lib/http/same-site";

export type LoginField = "email" | "password";

export async function logInAction(_previous: FormState<LoginField>, formData: FormData): Promise<FormState<LoginField>> {
  const fields = readFormFields(formData, ["email", "password", "next"]);
  const values = { email: fields.email };
  try {
    const requestHeaders = await headers();
    assertSameSite(requestHeaders);
    const input = validate(LoginInput, fields);
    const signedIn = await logIn(input, { kind: "browser", meta: await clientMeta(requestHeaders) });
    scheduleEmailDelivery();
    await setSessionCookies(await cookies(), signedIn);
  } catch (error) {
    return formFailure(error, values);
  }
  redirect(safeNextPath(fields.next));
}
