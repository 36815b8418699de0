// Errors are values with a stable code. Services throw AppError with an entry
// from this catalogue; lib/http/respond.ts turns it into the contract's JSON shape.

type ErrorSpec = { status: number; code: string; message: string };

const define = <T extends Record<string, ErrorSpec>>(catalogue: T) => catalogue;

export const ERRORS = define({
  invalidRequest: { status: 400, code: "invalid_request", message: "The request is not valid." },
  invalidJson: { status: 400, code: "invalid_json", message: "The request body is not valid JSON." },
  unsupportedMediaType: { status: 415, code: "unsupported_media_type", message: "Send the body as application/json." },
  payloadTooLarge: { status: 413, code: "payload_too_large", message: "The request body is larger than 16 KB." },
  crossSite: { status: 403, code: "cross_site_request", message: "Cross-site requests are not allowed." },
  invalidCredentials: { status: 401, code: "invalid_credentials", message: "The email or password is incorrect." },
  wrongCurrentPassword: { status: 400, code: "invalid_credentials", message: "The current password is incorrect." },
  emailNotVerified: { status: 403, code: "email_not_verified", message: "Verify your email address before signing in." },
  invalidToken: { status: 400, code: "invalid_token", message: "This link is invalid or has expired." },
  invalidSession: { status: 401, code: "invalid_session", message: "Your session has ended. Sign in again." },
  unauthenticated: { status: 401, code: "unauthenticated", message: "Sign in to continue." },
  forbidden: { status: 403, code: "forbidden", message: "You do not have access to this." },
  // API keys (docs/decisions/0035). Unknown, malformed, expired and revoked keys, and keys of a disabled user, answer alike.
  invalidApiKey: { status: 401, code: "invalid_api_key", message: "The API key is not valid: it is unknown, mistyped, expired or revoked." },
  insufficientScope: { status: 403, code: "insufficient_scope", message: "The API key does not have the scope this endpoint needs." },
  apiKeyNotAllowed: { status: 403, code: "api_key_not_allowed", message: "This endpoint does not accept API keys." },
  browserSessionRequired: { status: 403, code: "browser_session_required", message: "Sign in with a browser to do this." },
  // Second factors and step-up (docs/decisions/0036).
  /** The password (or provider) was right; the account wants a second factor before a session opens. */
  secondFactorRequired: {
    status: 401,
    code: "second_factor_required",
    message: "Enter the code from your authenticator app or a recovery code, or use a passkey.",
  },
  /** The password grant cannot ask for a second factor: such accounts sign in through the browser. */
  secondFactorGrantRefused: {
    status: 400,
    code: "second_factor_required",
    message: "This account uses a second factor. Sign in through the browser (grant_type authorization_code).",
  },
  /** The "second factor pending" cookie is missing, expired or not ours. */
  secondFactorExpired: { status: 401, code: "second_factor_expired", message: "Your sign-in took too long. Sign in again." },
  invalidCode: { status: 400, code: "invalid_code", message: "The code is incorrect or has already been used." },
  totpAlreadyEnabled: { status: 409, code: "totp_already_enabled", message: "Two-factor authentication is already on. Turn it off first to set up a new authenticator." },
  totpNotEnabled: { status: 409, code: "totp_not_enabled", message: "Two-factor authentication is not on for this account." },
  reauthenticationRequired: {
    status: 403,
    code: "reauthentication_required",
    message: "Confirm it is you to do this: enter your password, a code or use a passkey.",
  },
  /** Step-up on an account with a second factor: the password alone does not prove the person (docs/decisions/0036). */
  stepUpNeedsSecondFactor: {
    status: 400,
    code: "second_factor_required",
    message: "Your account uses two-factor authentication: confirm with a code from your authenticator app, a recovery code or a passkey.",
  },
  /**
   * Passkeys (lib/auth/passkeys/): an unknown credential, a bad signature, a
   * ceremony that expired, was used already or belongs to another browser all
   * answer alike.
   */
  invalidPasskey: { status: 400, code: "invalid_passkey", message: "The passkey could not be verified. Try again." },
  adminSecondFactorRequired: {
    status: 403,
    code: "admin_second_factor_required",
    message: "Administrators must sign in with a second factor. Set one up on your account page, then sign in with it.",
  },
  // RFC 6749 §5.2 codes, for the native-client token endpoint.
  invalidGrant: { status: 400, code: "invalid_grant", message: "The credentials, code or refresh token are invalid, expired or revoked." },
  unsupportedGrantType: { status: 400, code: "unsupported_grant_type", message: "Use grant_type authorization_code or refresh_token." },
  notFound: { status: 404, code: "not_found", message: "Not found." },
  methodNotAllowed: { status: 405, code: "method_not_allowed", message: "This endpoint does not accept that method." },
  /** Admins cannot disable or demote themselves: every action keeps its actor an admin, so one always remains. */
  ownAccount: {
    status: 409,
    code: "own_account",
    message: "You cannot disable your own account or remove your own admin role. Ask another admin.",
  },
  /** An account with no password keeps at least one provider to sign in with. */
  lastSignInMethod: {
    status: 409,
    code: "last_sign_in_method",
    message: "This is the only way to sign in to your account. Set a password first (through \"Forgot password\"), then unlink it.",
  },
  rateLimited: { status: 429, code: "rate_limited", message: "Too many attempts. Try again later." },
  unavailable: { status: 503, code: "temporarily_unavailable", message: "The service is temporarily unavailable. Try again shortly." },
  internal: { status: 500, code: "internal_error", message: "Something went wrong on our side." },
});

export type ErrorName = keyof typeof ERRORS;
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  override name = "AppError";
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: ErrorName, options: { fields?: FieldErrors; message?: string; retryAfterSeconds?: number } = {}) {
    const spec = ERRORS[kind];
    super(options.message ?? spec.message);
    this.status = spec.status;
    this.code = spec.code;
    this.fields = options.fields;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
