import { z } from "zod";
import { API_KEY_SCOPES } from "@/lib/auth/api-keys/scopes";
import { CONTROL_CHARACTERS } from "@/lib/auth/schemas";

/** The lifetimes offered; null is "never expires", refused while API_KEY_MAX_DAYS is set. */
export const API_KEY_LIFETIMES = [30, 90, 365] as const;

export const CreateApiKeyInput = z.object({
  name: z.string({ error: "Name the key." }).trim().min(1, "Name the key.").max(100, "Keep the name under 100 characters.")
    .refine((value) => !CONTROL_CHARACTERS.test(value), "Remove control characters from the name."),
  scopes: z
    .array(z.enum(API_KEY_SCOPES, { error: `Scopes are ${API_KEY_SCOPES.join(", ")}.` }), { error: "Choose at least one scope." })
    .min(1, "Choose at least one scope.")
    .max(API_KEY_SCOPES.length)
    .transform((scopes) => API_KEY_SCOPES.filter((scope) => scopes.includes(scope))),
  expiresInDays: z.union([z.literal(30), z.literal(90), z.literal(365), z.null()], { error: "Choose 30, 90 or 365 days, or none." }),
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

export const ApiKeyIdParam = z.uuid();
