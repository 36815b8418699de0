import commonPasswords from "@/lib/auth/passwords/common-passwords.json";

// SECURITY.md "Passwords" (after NIST SP 800-63B §3.1.1.2): a length floor, no
// composition rules, and a refusal of passwords an attacker would try first —
// the most common ones and the account's own email address or name.
// Pure, so tests and the CLI share it; the list is bundled JSON (no fs at run
// time) and must stay out of middleware.ts and the browser: it is 200 KB.

/** bcrypt sees a pre-hash, so length only bounds the work a request can ask for. */
export const PASSWORD_MAX_LENGTH = 1024;

export const PASSWORD_PROBLEMS = {
  common: "This password is one of the most common and easy to guess.",
  email: "Don't use your email address as your password.",
  name: "Don't use your name as your password.",
} as const;

// The list is stored NFKC-normalised and lower-cased; see docs/decisions/0006-common-passwords.md.
const COMMON = new Set<string>(commonPasswords);

const fold = (value: string) => value.normalize("NFKC").toLowerCase();
const withoutSpaces = (value: string) => value.replace(/\s+/g, "");

export type PasswordContext = {
  /** PASSWORD_MIN_LENGTH: passed in so this module stays free of env. */
  minLength: number;
  email?: string;
  name?: string;
};

/** The reason a new password is refused, in a sentence for the form, or null when it is acceptable. */
export function passwordProblem(password: string, { minLength, email, name }: PasswordContext): string | null {
  const normalised = password.normalize("NFKC");
  if (normalised.length < minLength) return `Use at least ${minLength} characters.`;
  if (normalised.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const folded = fold(normalised);
  if (COMMON.has(folded)) return PASSWORD_PROBLEMS.common;
  if (email) {
    const address = fold(email.trim());
    const localPart = address.split("@")[0];
    if (folded === address || folded === localPart) return PASSWORD_PROBLEMS.email;
  }
  // "Ada Lovelace" also refuses "adalovelace": spacing does not make a name harder to guess.
  if (name?.trim() && withoutSpaces(folded) === withoutSpaces(fold(name))) return PASSWORD_PROBLEMS.name;
  return null;
}
