import { z } from "zod";
import { CurrentPasswordSchema, EmailSchema } from "@/lib/auth/schemas";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { validate } from "@/lib/http/read-json";

// The native-client token endpoint's request (RFC 6749 §4.1.3, §4.3 and §6).
// The contract names the address `email`; OAuth libraries send `username`:
// either is accepted, not both. The password grant is refused unless
// PASSWORD_GRANT turns it on (RFC 9700 §2.4, docs/decisions/0034).

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

const required = (name: string) => ({ error: `The ${name} is missing.` });

/** RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.5): the verifier is 43 to 128 unreserved characters. */
const AuthorizationCodeGrant = z
  .object({
    grant_type: z.literal("authorization_code"),
    code: z.string(required("code")).min(16, "The code is invalid.").max(256, "The code is invalid."),
    redirect_uri: z.string(required("redirect_uri")).min(1, "The redirect_uri is missing.").max(2048, "The redirect_uri is too long."),
    client_id: z.string(required("client_id")).min(1, "The client_id is missing.").max(200, "The client_id is invalid."),
    code_verifier: z
      .string(required("code_verifier"))
      .regex(/^[A-Za-z0-9\-._~]{43,128}$/, "The code_verifier must be 43 to 128 characters from A-Z a-z 0-9 - . _ ~."),
  })
  .transform(({ code, redirect_uri, client_id, code_verifier }) => ({
    grantType: "authorization_code" as const,
    code,
    redirectUri: redirect_uri,
    clientId: client_id,
    codeVerifier: code_verifier,
  }));

const GRANTS = { password: PasswordGrant, refresh_token: RefreshGrant, authorization_code: AuthorizationCodeGrant } as const;

export type TokenRequest = z.infer<typeof PasswordGrant> | z.infer<typeof RefreshGrant> | z.infer<typeof AuthorizationCodeGrant>;

/** Body fields as read (form or JSON), before we know which grant they are for. */
export const TokenRequestBody = z.record(z.string(), z.unknown(), { error: "Send the parameters as an object." });

/** A grant we do not offer is `unsupported_grant_type`, not a malformed request (RFC 6749 §5.2). */
export function parseTokenRequest(body: Record<string, unknown>): TokenRequest {
  const grantType = body.grant_type;
  if (typeof grantType !== "string") throw new AppError("invalidRequest", { fields: { grant_type: "The grant_type is missing." } });
  if (!Object.hasOwn(GRANTS, grantType)) throw new AppError("unsupportedGrantType");
  if (grantType === "password" && !env().PASSWORD_GRANT) {
    throw new AppError("unsupportedGrantType", { message: "The password grant is turned off: sign in through the browser (authorization_code)." });
  }
  return validate(GRANTS[grantType as keyof typeof GRANTS], body);
}

/** RFC 7009 §2.1: `token`, with an optional hint we may ignore. */
export const RevokeRequest = z.object({
  token: z.string({ error: "The token is missing." }).min(1, "The token is missing.").max(4096, "The token is invalid."),
  token_type_hint: z.string().max(64).optional(),
});
