import { z } from "zod";
import { AuthenticationResponse } from "@/lib/auth/passkeys/schemas";
import { CurrentPasswordSchema } from "@/lib/auth/schemas";
import { SecondFactorCodeInput } from "@/lib/auth/second-factor/schemas";

const CodeSchema = SecondFactorCodeInput.shape.code;

/** One proof, whichever the account allows (lib/auth/step-up/reauthenticate.ts): a password, a code, or a passkey's assertion. */
export const ReauthenticateInput = z
  .object({ password: CurrentPasswordSchema.optional(), code: CodeSchema.optional(), passkey: AuthenticationResponse.optional() })
  .superRefine((value, ctx) => {
    const given = [value.password, value.code, value.passkey].filter((proof) => proof !== undefined).length;
    if (given === 0) ctx.addIssue({ code: "custom", path: ["password"], message: "Enter your password or a code, or use a passkey." });
    if (given > 1) ctx.addIssue({ code: "custom", path: ["code"], message: "Send one proof at a time." });
  });

/** The /reauthenticate page's forms: what can be typed, one of the two. */
export const ReauthenticateFormInput = ReauthenticateInput.safeExtend({ passkey: z.undefined() });
export type ReauthenticateInput = z.infer<typeof ReauthenticateInput>;
