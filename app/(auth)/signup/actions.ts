"use server";

import { headers } from "next/headers";
import { SignupInput } from "@/lib/auth/schemas";
import { signUp } from "@/lib/auth/signup";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { formFailure, formSuccess, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { clientMeta } from "@/lib/http/client-meta";
import { validate } from "@/lib/http/read-json";
import { assertSameSite } from "@/lib/http/same-site";

export type SignupField = "name" | "email" | "password";

/** Succeeds the same way whether or not the address already has an account (no enumeration). */
export async function signUpAction(_previous: FormState<SignupField>, formData: FormData): Promise<FormState<SignupField>> {
  const fields = readFormFields(formData, ["name", "email", "password"]);
  const values = { name: fields.name, email: fields.email };
  try {
    const requestHeaders = await headers();
    assertSameSite(requestHeaders);
    const input = validate(SignupInput, fields);
    await signUp(input, await clientMeta(requestHeaders));
    scheduleEmailDelivery();
  } catch (error) {
    return formFailure(error, values);
  }
  return formSuccess(values);
}
