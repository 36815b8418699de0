import "server-only";
import { headers } from "next/headers";
import { isDatabaseUnavailable } from "@/db/errors";
import { withDatabaseDeadline } from "@/lib/deadline";
import { AppError } from "@/lib/errors";
import type { FormState } from "@/lib/forms/form-state";
import { clientMeta, type ClientMeta } from "@/lib/http/client-meta";
import { assertSameSite } from "@/lib/http/same-site";
import { handedOnRequestId } from "@/lib/http/request-id";
import { logEvent, withRequestId } from "@/lib/log";

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
 * What every server action does around its work: the cross-site check first
 * (docs/decisions/0005), then the work against the database deadline, as a
 * route handler's is (contract invariant 8: a silent database gets "try
 * again" in time, not a form that spins). Resolves to the form state of the
 * failure, or null when the work succeeded and the action may answer or
 * redirect. What it logs carries the request's id (docs/decisions/0032).
 */
export async function attemptFormAction<Field extends string>(
  values: FormFields<Field>,
  work: (meta: ClientMeta) => Promise<void>,
): Promise<FormState<Field> | null> {
  const requestHeaders = await headers();
  return withRequestId(handedOnRequestId(requestHeaders), async () => {
    try {
      assertSameSite(requestHeaders);
      const meta = await clientMeta(requestHeaders);
      await withDatabaseDeadline(() => work(meta));
      return null;
    } catch (error) {
      return formFailure(error, values);
    }
  });
}

/**
 * Maps what a service threw to form state. Anything that is neither an
 * AppError nor an unreachable database is a bug: it is rethrown, so the error
 * boundary and the server log both hear about it.
 */
function formFailure<Field extends string>(error: unknown, values: FormFields<Field>): FormState<Field> {
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
