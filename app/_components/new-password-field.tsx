import { FormField } from "@/app/_components/form-field";

/**
 * Every "choose a password" input: the policy stated up front (the server
 * checks the common-password list; the list never ships to the browser), and
 * the browser's password manager invited.
 */
export function NewPasswordField({
  label,
  name,
  minLength,
  note = "A passphrase works well; common passwords, your email and your name are refused.",
  error,
}: {
  label: string;
  name: string;
  minLength: number;
  note?: string;
  error?: string | undefined;
}) {
  return (
    <FormField
      label={label}
      name={name}
      type="password"
      autoComplete="new-password"
      required
      hint={`At least ${minLength} characters. ${note}`}
      error={error}
    />
  );
}
