// How a sign-in with a provider can end without a session. Each code is what
// the callback puts in /login?error= and what the page turns into one
// sentence; none of them says more than the person at the browser needs.

export const SSO_ERRORS = {
  provider_unavailable: "We could not reach the sign-in provider. Try again in a minute, or sign in with your password.",
  access_denied: "Sign-in was cancelled at the provider.",
  flow_expired: "The sign-in took too long or was started in another tab. Please try again.",
  invalid_response: "The provider's answer could not be verified, so you were not signed in. Please try again.",
  email_missing: "The provider did not share an email address, so we cannot make you an account. Sign up with a password instead.",
  email_unverified: "The provider has not confirmed your email address. Sign up with a password, then link the provider from your account page.",
  link_required:
    "An account with this email address already exists. Sign in with your password, then link the provider from your account page.",
  account_disabled: "This account has been disabled.",
  identity_taken: "That provider account is already linked to another Doorman account.",
  rate_limited: "Too many sign-in attempts from your network. Try again in a few minutes.",
  unavailable: "Sign-in is temporarily unavailable. Try again in a few seconds.",
  link_session_ended: "Your session ended before the provider answered. Sign in and try linking again.",
} as const;

export type SsoErrorCode = keyof typeof SSO_ERRORS;

export class SsoError extends Error {
  override name = "SsoError";
  constructor(
    readonly code: SsoErrorCode,
    /** For the log only: the provider's own words or the library's. */
    readonly detail?: string,
  ) {
    super(SSO_ERRORS[code]);
  }
}

export function isSsoErrorCode(value: string | null | undefined): value is SsoErrorCode {
  return typeof value === "string" && Object.hasOwn(SSO_ERRORS, value);
}
