// What lib/client throws. Plain classes, no dependencies, like the rest of the client.

/** Doorman's error shape (the contract); `status` is the HTTP status, 0 for an answer that came back through the browser. */
export class DoormanError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "DoormanError";
  }
}

/** The refresh token was refused: the user must sign in again. */
export class SignedOutError extends DoormanError {
  constructor() {
    super(401, "signed_out", "Sign in again.");
    this.name = "SignedOutError";
  }
}

/**
 * Signing in through the browser did not produce a code: Doorman sent an
 * OAuth error back (RFC 6749 §4.1.2.1: `invalid_request`,
 * `unsupported_response_type`, …), or the callback is not the answer to this
 * request (`state_mismatch`, `issuer_mismatch`, `missing_code`). Nothing was stored.
 */
export class AuthorizationError extends DoormanError {
  constructor(code: string, message: string) {
    super(0, code, message);
    this.name = "AuthorizationError";
  }
}
