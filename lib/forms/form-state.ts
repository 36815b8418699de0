// What a server action hands back to its form. Client-safe: forms import the
// type and the initial state; lib/forms/form-action.ts builds the rest.

export type FormStatus = "idle" | "error" | "success";

export type FormState<Field extends string> = {
  status: FormStatus;
  /** One message per field, keyed by the input's name. */
  fieldErrors: Partial<Record<Field, string>>;
  /** An error about the whole submission; `code` lets a form offer the right way forward. */
  formError: { code: string; message: string } | null;
  /** What to refill the form with. Never a password. */
  values: Partial<Record<Field, string>>;
};

export function initialFormState<Field extends string>(): FormState<Field> {
  return { status: "idle", fieldErrors: {}, formError: null, values: {} };
}
