import { z } from "zod";
import { AuthenticationResponse } from "@/lib/auth/passkeys/schemas";
import { CurrentPasswordSchema } from "@/lib/auth/schemas";

/** The /reauthenticate page's form: what can be typed. */
export const ReauthenticateFormInput = z.object({ password: CurrentPasswordSchema });

/** One proof, whichever the account allows (lib/auth/step-up/reauthenticate.ts): a password, or a passkey's assertion. */
export const ReauthenticateInput = z
  .object({ password: CurrentPasswordSchema.optional(), passkey: AuthenticationResponse.optional() })
  .superRefine((value, ctx) => {
    const given = [value.password, value.passkey].filter((proof) => proof !== undefined).length;
    if (given === 0) ctx.addIssue({ code: "custom", path: ["password"], message: "Enter your password, or use a passkey." });
    if (given > 1) ctx.addIssue({ code: "custom", path: ["passkey"], message: "Send one proof at a time." });
  });
export type ReauthenticateInput = z.infer<typeof ReauthenticateInput>;
