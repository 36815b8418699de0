import { z } from "zod";
import { AuthenticationResponse } from "@/lib/auth/passkeys/schemas";
import { CurrentPasswordSchema } from "@/lib/auth/schemas";
import { SecondFactorCodeInput } from "@/lib/auth/second-factor/schemas";

/** What can be typed: the password, or an authenticator or recovery code. */
const TYPED_PROOFS = { password: CurrentPasswordSchema.optional(), code: SecondFactorCodeInput.shape.code.optional() };

/** Exactly one proof per request. */
function oneProof(value: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const given = Object.values(value).filter((proof) => proof !== undefined).length;
  if (given === 0) ctx.addIssue({ code: "custom", path: ["password"], message: "Enter your password or a code, or use a passkey." });
  if (given > 1) ctx.addIssue({ code: "custom", path: ["code"], message: "Send one proof at a time." });
}

/** One proof, whichever the account allows (lib/auth/step-up/reauthenticate.ts): a password, a code, or a passkey's assertion. */
export const ReauthenticateInput = z.object({ ...TYPED_PROOFS, passkey: AuthenticationResponse.optional() }).superRefine(oneProof);
export type ReauthenticateInput = z.infer<typeof ReauthenticateInput>;

/** The /reauthenticate page's forms. */
export const ReauthenticateFormInput = z.object(TYPED_PROOFS).superRefine(oneProof);
