import { FormField } from "@/app/_components/form-field";

/** The email input every auth form asks for, with the attributes that keep mobile keyboards and autofill helpful. */
export function EmailField({ defaultValue, error }: { defaultValue?: string | undefined; error?: string | undefined }) {
  return (
    <FormField
      label="Email"
      name="email"
      type="email"
      autoComplete="email"
      autoCapitalize="none"
      spellCheck={false}
      required
      defaultValue={defaultValue}
      error={error}
    />
  );
}
