import { z } from "zod";

/** A six-digit authenticator code or a recovery code, as typed; the services read which. */
export const SecondFactorCodeInput = z.object({
  code: z.string({ error: "Enter the code." }).trim().min(1, "Enter the code.").max(64, "That is not a code."),
});
