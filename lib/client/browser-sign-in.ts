import { AuthorizationError } from "./errors";

// A native app signing in through the system browser (RFC 8252): the
// authorization request with PKCE S256 (RFC 7636), and reading the callback
// the browser hands back. WebCrypto only, no Node built-ins, so it runs in
// React Native: there, pass expo-crypto's functions as `crypto`.

/** The two primitives PKCE needs. Defaults to globalThis.crypto (browsers, Node, Deno, Bun). */
export type PkceCrypto = {
  getRandomValues(bytes: Uint8Array): Uint8Array;
  sha256(data: Uint8Array): Promise<ArrayBuffer>;
};

/** What the app keeps, in memory, while the browser is open. The verifier never leaves the app until the redemption. */
export type PendingBrowserSignIn = { clientId: string; redirectUri: string; state: string; codeVerifier: string; issuer: string };

export function webCrypto(): PkceCrypto {
  const crypto = globalThis.crypto;
  if (!crypto?.getRandomValues || !crypto.subtle) {
    throw new Error("No WebCrypto here: pass `crypto` (in Expo: getRandomValues and digest from expo-crypto).");
  }
  return {
    getRandomValues: (bytes) => crypto.getRandomValues(bytes),
    sha256: (data) => crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>),
  };
}

/** The authorize URL to open in the system browser, and what to keep for its callback. */
export async function createAuthorizationRequest(options: {
  baseUrl: string;
  clientId: string;
  redirectUri: string;
  crypto?: PkceCrypto;
}): Promise<{ url: string; pending: PendingBrowserSignIn }> {
  const crypto = options.crypto ?? webCrypto();
  // 32 random bytes each: a 43-character verifier (RFC 7636 §4.1) and an unguessable state.
  const codeVerifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(new Uint8Array(await crypto.sha256(ascii(codeVerifier))));
  const url = new URL("/api/auth/authorize", options.baseUrl);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  const issuer = new URL(options.baseUrl).origin;
  return { url: url.toString(), pending: { clientId: options.clientId, redirectUri: options.redirectUri, state, codeVerifier, issuer } };
}

/**
 * The code in the URL the browser came back with, once it is shown to answer
 * this very request: same state (CSRF, RFC 6749 §10.12) and, when present,
 * the issuer this app talks to (mix-up, RFC 9207). An error from Doorman, or
 * a callback that fails these checks, throws AuthorizationError.
 */
export function readAuthorizationCallback(callbackUrl: string, pending: PendingBrowserSignIn): string {
  let params: URLSearchParams;
  try {
    params = new URL(callbackUrl).searchParams;
  } catch {
    throw new AuthorizationError("missing_code", "The sign-in did not come back with a code.");
  }
  // Checked before the error too: an error for another request is not this one's.
  if (params.get("state") !== pending.state) throw new AuthorizationError("state_mismatch", "The sign-in answer is not for this request.");
  const issuer = params.get("iss");
  if (issuer !== null && issuer !== pending.issuer) throw new AuthorizationError("issuer_mismatch", "The sign-in answer comes from another server.");
  const error = params.get("error");
  if (error) throw new AuthorizationError(error, params.get("error_description") ?? "The sign-in was refused.");
  const code = params.get("code");
  if (!code) throw new AuthorizationError("missing_code", "The sign-in did not come back with a code.");
  return code;
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Base64url without padding (RFC 4648 §5), without btoa or Buffer. */
export function base64url(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    if (b !== undefined) out += ALPHABET[(n >> 6) & 63]!;
    if (c !== undefined) out += ALPHABET[n & 63]!;
  }
  return out;
}
