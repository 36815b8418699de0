import { AuthorizationError } from "./errors";

// A native app signing in through the system browser (RFC 8252): the
// authorization request with PKCE S256 (RFC 7636), and reading the callback
// the browser hands back. WebCrypto only, no Node built-ins, so it runs in
// React Native: there, pass expo-crypto's functions as `crypto`. Queries are
// written and read here rather than with URL and URLSearchParams, whose
// React Native versions have lacked parts of the standard.

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
  const query = formEncode({
    response_type: "code",
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const issuer = originOf(options.baseUrl);
  return { url: `${issuer}/api/auth/authorize?${query}`, pending: { clientId: options.clientId, redirectUri: options.redirectUri, state, codeVerifier, issuer } };
}

/**
 * The code in the URL the browser came back with, once it is shown to answer
 * this very request: same state (CSRF, RFC 6749 §10.12) and, when present,
 * the issuer this app talks to (mix-up, RFC 9207). An error from Doorman, or
 * a callback that fails these checks, throws AuthorizationError.
 */
export function readAuthorizationCallback(callbackUrl: string, pending: PendingBrowserSignIn): string {
  const params = queryOf(callbackUrl);
  if (!params) throw new AuthorizationError("missing_code", "The sign-in did not come back with a code.");
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

/** `scheme://host[:port]` of an absolute http(s) URL, as URL#origin gives it for Doorman's address. */
function originOf(baseUrl: string): string {
  const match = /^(https?):\/\/([^/?#]+)/i.exec(baseUrl);
  if (!match) throw new Error(`baseUrl must be Doorman's http(s) origin, not ${JSON.stringify(baseUrl)}`);
  const scheme = match[1]!.toLowerCase();
  const host = match[2]!.toLowerCase().replace(scheme === "https" ? /:443$/ : /:80$/, "");
  return `${scheme}://${host}`;
}

function formEncode(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join("&");
}

/** The query of a URL as a lookup (first value of each name); null when it cannot be decoded. */
function queryOf(url: string): { get(name: string): string | null } | null {
  const query = url.split("#", 1)[0]!.split("?").slice(1).join("?");
  const values = new Map<string, string>();
  try {
    for (const pair of query.split("&")) {
      if (!pair) continue;
      const [name, value = ""] = pair.split(/=(.*)/s, 2).map((part) => decodeURIComponent(part.replace(/\+/g, " ")));
      if (!values.has(name!)) values.set(name!, value);
    }
  } catch {
    return null;
  }
  return { get: (name) => values.get(name) ?? null };
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
