import { findNativeClient, isRegisteredRedirectUri } from "@/lib/auth/native/native-clients";

// Reading a request to the authorization endpoint (RFC 6749 §4.1.1, PKCE
// RFC 7636 §4.3). What it cannot vouch for, an unknown client or a redirect
// URI not registered for it, is never redirected to (§4.1.2.1): the browser
// gets a page saying so. Every other problem goes back to the app at its
// verified redirect URI, with the request's state.

export type AuthorizationRequest = { clientId: string; redirectUri: string; state: string; codeChallenge: string };

/** RFC 6749 §4.1.2.1's codes that this endpoint can answer with. */
export type AuthorizationErrorCode = "invalid_request" | "unsupported_response_type";

export type ReadAuthorization =
  | { kind: "valid"; request: AuthorizationRequest }
  /** Sent back to the app at its verified redirect URI. */
  | { kind: "error"; redirectUri: string; state: string | null; error: AuthorizationErrorCode; description: string }
  /** Nobody to send it back to: shown in the browser. */
  | { kind: "unverifiable"; message: string };

/** RFC 7636 §4.1: 43 to 128 unreserved characters (S256 of 32 bytes is exactly 43). */
const CODE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;
/** RFC 6749 Appendix A.5: printable ASCII; bounded so the redirect stays a sensible length. */
const STATE = /^[\x20-\x7e]{1,512}$/;

export function readAuthorizationRequest(params: URLSearchParams): ReadAuthorization {
  // RFC 6749 §3.1: a parameter sent twice is an invalid request.
  const one = (name: string): string | null | undefined => {
    const values = params.getAll(name);
    return values.length > 1 ? undefined : (values[0] ?? null);
  };
  const clientId = one("client_id");
  const redirectUri = one("redirect_uri");
  if (!clientId) return { kind: "unverifiable", message: "The request names no application (client_id), or names it twice." };
  const client = findNativeClient(clientId);
  if (!client) return { kind: "unverifiable", message: "The application (client_id) is not registered with this server." };
  if (!redirectUri || !isRegisteredRedirectUri(client, redirectUri)) {
    return { kind: "unverifiable", message: "The redirect address (redirect_uri) is missing or not registered for this application." };
  }

  const rawState = one("state");
  const state = typeof rawState === "string" && STATE.test(rawState) ? rawState : null;
  const refuse = (error: AuthorizationErrorCode, description: string): ReadAuthorization => ({ kind: "error", redirectUri, state, error, description });

  const responseType = one("response_type");
  if (responseType === null || responseType === undefined) return refuse("invalid_request", "Send response_type=code, once.");
  if (responseType !== "code") return refuse("unsupported_response_type", "Only response_type=code is supported.");
  if (state === null) return refuse("invalid_request", "Send a state of 1 to 512 printable ASCII characters, once.");
  // RFC 9700 §2.1.1: PKCE is required, and only S256 (plain would hand the verifier to the browser).
  const method = one("code_challenge_method");
  if (method !== "S256") return refuse("invalid_request", "PKCE is required: send code_challenge_method=S256, once.");
  const codeChallenge = one("code_challenge");
  if (!codeChallenge || !CODE_CHALLENGE.test(codeChallenge)) {
    return refuse("invalid_request", "Send a code_challenge of 43 to 128 characters from A-Z a-z 0-9 - . _ ~, once.");
  }
  return { kind: "valid", request: { clientId, redirectUri, state, codeChallenge } };
}

/** The redirect URI with the answer's parameters added to whatever query it has (RFC 6749 §4.1.2), and `iss` (RFC 9207). */
export function redirectBack(redirectUri: string, params: Record<string, string | null>, issuer: string): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries({ ...params, iss: issuer })) {
    if (value !== null) url.searchParams.set(name, value);
  }
  return url.toString();
}
