"use server";

import { cookies } from "next/headers";
import { SignupInput } from "@/lib/auth/schemas";
import { signUp } from "@/lib/auth/accounts/signup";
import { setSignupCookie } from "@/lib/auth/accounts/signup-marker";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { attemptFormAction, formSuccess, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { validate } from "@/lib/http/read-json";

export type SignupField = "name" | "email" | "password";

/** Succeeds the same way whether or not the address already has an account (no enumeration). */
export async function signUpAction(_previous: FormState<SignupField>, formData: FormData): Promise<FormState<SignupField>> {
  const fields = readFormFields(formData, ["name", "email", "password"]);
  const values = { name: fields.name, email: fields.email };
  const failed = await attemptFormAction(values, async (meta) => {
    const { marker } = await signUp(validate(SignupInput, fields), meta);
    setSignupCookie(await cookies(), marker);
    scheduleEmailDelivery();
  });
  return failed ?? formSuccess(values);
}
