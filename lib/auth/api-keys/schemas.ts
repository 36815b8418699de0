import { z } from "zod";
import { API_KEY_SCOPES, isApiKeyScope } from "@/lib/auth/api-keys/scopes";

/** The lifetimes offered; null is "never expires", refused while API_KEY_MAX_DAYS is set. */
export const API_KEY_LIFETIMES = [30, 90, 365] as const;

/**
 * A key's name is a label in lists, emails and logs: letters, digits, spaces
 * and a little punctuation, so no markup, no bidirectional overrides and no
 * control characters ever reach them.
 */
const API_KEY_NAME = /^[\p{L}\p{M}\p{N} _.,:()#@+-]+$/u;

export const CreateApiKeyInput = z.object({
  name: z
    .string({ error: "Name the key." })
    .transform((value) => value.normalize("NFKC").trim())
    .pipe(z.string().min(1, "Name the key.").max(100, "Keep the name under 100 characters."))
    .refine((value) => API_KEY_NAME.test(value), "Use letters, digits, spaces and - _ . , : ( ) # @ + in the name."),
  // Judged as a whole, so an unknown scope is an error on `scopes`, not on `scopes.3`.
  scopes: z
    .array(z.unknown(), { error: "Choose at least one scope." })
    .min(1, "Choose at least one scope.")
    .refine((scopes) => scopes.every(isApiKeyScope), `Scopes are ${API_KEY_SCOPES.join(", ")}.`)
    .transform((scopes) => API_KEY_SCOPES.filter((scope) => scopes.includes(scope))),
  expiresInDays: z.union([z.literal(30), z.literal(90), z.literal(365), z.null()], { error: "Choose 30, 90 or 365 days, or none." }),
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

export const ApiKeyIdParam = z.uuid();
