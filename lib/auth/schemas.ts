import { z } from "zod";
import { parseEmailAddress, type EmailAddress } from "@/lib/auth/accounts/email-address";
import { PASSWORD_MAX_LENGTH, passwordProblem } from "@/lib/auth/passwords/password-policy";
import { env } from "@/lib/env";

// Field schemas shared by route handlers, server actions and tests.

export const EmailSchema = z
  .string({ error: "Enter your email address." })
  .max(320, "That email address is too long.")
  .transform((value, ctx) => {
    const parsed = parseEmailAddress(value);
    if (!parsed) {
      ctx.addIssue({ code: "custom", message: "Enter a valid email address, like name@example.com." });
      return z.NEVER;
    }
    return parsed;
  });

/** For sign-in: any non-empty password is checked, so the policy can change without locking anyone out. */
export const CurrentPasswordSchema = z
  .string({ error: "Enter your password." })
  .min(1, "Enter your password.")
  .max(PASSWORD_MAX_LENGTH, "That password is too long.");

/**
 * For new passwords: the parts of the policy that need no account (length,
 * common passwords). Normalised with NFKC so the same characters always hash
 * the same. Whoever knows the email and name checks those too: SignupInput
 * below, the reset and change-password services from the user's row.
 */
export const NewPasswordSchema = z
  .string({ error: "Choose a password." })
  .transform((value) => value.normalize("NFKC"))
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value, { minLength: env().PASSWORD_MIN_LENGTH });
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** Object-level, after each field passed: refuses a password equal to the email or name, on the password field. */
export function refuseOwnEmailOrName(input: { email: EmailAddress; name: string; password: string }, ctx: z.RefinementCtx): void {
  const problem = passwordProblem(input.password, {
    minLength: env().PASSWORD_MIN_LENGTH,
    email: input.email.address,
    name: input.name,
  });
  if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
}

/** C0 controls and DEL: no name, address or search term holds one, and PostgreSQL refuses NUL in text. */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export const NameSchema = z
  .string({ error: "Enter your name." })
  .transform((value) => value.normalize("NFKC").trim())
  .pipe(z.string().min(1, "Enter your name.").max(100, "Use at most 100 characters."))
  .refine((value) => !CONTROL_CHARACTERS.test(value), "Remove control characters from your name.");

export const TokenSchema = z.string({ error: "The token is missing." }).min(16, "The token is invalid.").max(512, "The token is invalid.");

export const SignupInput = z
  .object({ name: NameSchema, email: EmailSchema, password: NewPasswordSchema })
  .superRefine(refuseOwnEmailOrName);
export const LoginInput = z.object({ email: EmailSchema, password: CurrentPasswordSchema });
/** `password`: the one chosen at signup, typed again where the signup's browser is not (docs/decisions/0019). */
export const VerifyEmailInput = z.object({ token: TokenSchema, password: CurrentPasswordSchema.optional() });

export const ChangePasswordInput = z.object({ currentPassword: CurrentPasswordSchema, newPassword: NewPasswordSchema });
export const EmailOnlyInput = z.object({ email: EmailSchema });
export const ResetPasswordInput = z.object({ token: TokenSchema, password: NewPasswordSchema });
export const SessionIdParam = z.uuid({ error: "Not found." });
export const RoleSchema = z.enum(["user", "admin"], { error: 'Choose "user" or "admin".' });
/** A ticked HTML checkbox sends "on"; an unticked one sends nothing. */
export const NotificationPreferencesInput = z
  .object({ newDeviceSignIn: z.literal("on", { error: "Tick the box or leave it empty." }).optional() })
  .transform(({ newDeviceSignIn }) => ({ newDeviceSignIn: newDeviceSignIn === "on" }));

export type SignupInput = z.infer<typeof SignupInput>;
export type LoginInput = z.infer<typeof LoginInput>;
