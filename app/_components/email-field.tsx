import { FormField } from "@/app/_components/form-field";

/**
 * The email input every auth form asks for, with the attributes that keep
 * mobile keyboards and autofill helpful. The sign-in form's says
 * "username webauthn": the browser offers the passkeys it holds there too.
 */
export function EmailField({
  defaultValue,
  error,
  autoComplete = "email",
}: {
  defaultValue?: string | undefined;
  error?: string | undefined;
  autoComplete?: "email" | "username webauthn";
}) {
  return (
    <FormField
      label="Email"
      name="email"
      type="email"
      autoComplete={autoComplete}
      autoCapitalize="none"
      spellCheck={false}
      required
      defaultValue={defaultValue}
      error={error}
    />
  );
}
