import { z } from "zod";
import { CurrentPasswordSchema, EmailSchema } from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import { validate } from "@/lib/http/read-json";

// The native-client token endpoint's request (RFC 6749 §4.3 and §6). The
// contract names the address `email`; OAuth libraries send `username`: either
// is accepted, not both.

const RefreshTokenSchema = z
  .string({ error: "The refresh_token is missing." })
  .min(16, "The refresh_token is invalid.")
  .max(512, "The refresh_token is invalid.");

const PasswordGrant = z
  .object({
    grant_type: z.literal("password"),
    email: EmailSchema.optional(),
    username: EmailSchema.optional(),
    password: CurrentPasswordSchema,
  })
  .superRefine((value, ctx) => {
    if (!value.email === !value.username) ctx.addIssue({ code: "custom", path: ["email"], message: "Send the email address (or username), once." });
  })
  .transform(({ email, username, password }) => ({ grantType: "password" as const, email: (email ?? username)!, password }));

const RefreshGrant = z
  .object({ grant_type: z.literal("refresh_token"), refresh_token: RefreshTokenSchema })
  .transform(({ refresh_token }) => ({ grantType: "refresh_token" as const, refreshToken: refresh_token }));

const GRANTS = { password: PasswordGrant, refresh_token: RefreshGrant } as const;

export type TokenRequest = z.infer<typeof PasswordGrant> | z.infer<typeof RefreshGrant>;

/** Body fields as read (form or JSON), before we know which grant they are for. */
export const TokenRequestBody = z.record(z.string(), z.unknown(), { error: "Send the parameters as an object." });

/** A grant we do not offer is `unsupported_grant_type`, not a malformed request (RFC 6749 §5.2). */
export function parseTokenRequest(body: Record<string, unknown>): TokenRequest {
  const grantType = body.grant_type;
  if (typeof grantType !== "string") throw new AppError("invalidRequest", { fields: { grant_type: "The grant_type is missing." } });
  if (!Object.hasOwn(GRANTS, grantType)) throw new AppError("unsupportedGrantType");
  return validate(GRANTS[grantType as keyof typeof GRANTS], body);
}

/** RFC 7009 §2.1: `token`, with an optional hint we may ignore. */
export const RevokeRequest = z.object({
  token: z.string({ error: "The token is missing." }).min(1, "The token is missing.").max(4096, "The token is invalid."),
  token_type_hint: z.string().max(64).optional(),
});
