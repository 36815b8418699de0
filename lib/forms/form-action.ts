import "server-only";
import { isDatabaseUnavailable } from "@/db/errors";
import { AppError } from "@/lib/errors";
import type { FormState } from "@/lib/forms/form-state";
import { logEvent } from "@/lib/log";

export type FormFields<Field extends string> = Partial<Record<Field, string>>;

/**
 * FormData to plain strings, for zod to validate. Files and absent fields are
 * dropped, and so are empty ones: the schemas then answer "Enter your email
 * address." rather than a format error about an empty string.
 */
export function readFormFields<const Field extends string>(formData: FormData, fields: readonly Field[]): FormFields<Field> {
  const result: FormFields<Field> = {};
  for (const field of fields) {
    const value = formData.get(field);
    if (typeof value === "string" && value !== "") result[field] = value;
  }
  return result;
}

/** The action did what was asked. `values` refill the form: never a password. */
export function formSuccess<Field extends string>(values: FormFields<Field>): FormState<Field> {
  return { status: "success", fieldErrors: {}, formError: null, values };
}

/**
 * Maps what a service threw to form state. Anything that is neither an
 * AppError nor an unreachable database is a bug: it is rethrown, so the error
 * boundary and the server log both hear about it.
 */
export function formFailure<Field extends string>(error: unknown, values: FormFields<Field>): FormState<Field> {
  if (error instanceof AppError) {
    return {
      status: "error",
      fieldErrors: (error.fields ?? {}) as FormFields<Field>,
      formError: error.fields ? null : { code: error.code, message: error.message },
      values,
    };
  }
  if (isDatabaseUnavailable(error)) {
    // Contract invariant 8: "try again", never "sign in again"; the cookies are left alone.
    logEvent("warn", "database_unavailable", { during: "form_action" });
    const unavailable = new AppError("unavailable");
    return { status: "error", fieldErrors: {}, formError: { code: unavailable.code, message: unavailable.message }, values };
  }
  throw error;
}
