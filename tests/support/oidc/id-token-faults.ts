import { randomBytes } from "node:crypto";
import { decodeJwt, SignJWT, UnsecuredJWT, type JWTPayload } from "jose";
import { generateSigningKey, type SigningKey } from "./signing-key";

// One fault at a time in an otherwise good ID token: the claims are the real
// token's, the signature is the provider's own key, so a client that refuses
// the token can only be refusing for the named reason.

export const BROKEN_MODES = ["ok", "wrong-aud", "wrong-iss", "expired", "alg-none", "nonce-mismatch", "bad-signature"] as const;
export type BrokenMode = (typeof BROKEN_MODES)[number];

export type FaultKeys = {
  /** The key the provider's JWKS publishes. */
  own: SigningKey;
  /** Same algorithm and kid, not in the JWKS: the signature cannot verify. */
  stranger: SigningKey;
};

export async function generateFaultKeys(own: SigningKey): Promise<FaultKeys> {
  const stranger = await generateSigningKey(own.alg);
  return { own, stranger: { ...stranger, kid: own.kid } };
}

export async function applyFault(idToken: string, mode: BrokenMode, keys: FaultKeys): Promise<string> {
  if (mode === "ok") return idToken;
  const claims = decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);

  switch (mode) {
    case "wrong-aud":
      return sign({ ...claims, aud: "someone-else" }, keys.own);
    case "wrong-iss":
      // Same host, other path: a client must compare the whole issuer, not a prefix.
      return sign({ ...claims, iss: `${claims.iss}/other-issuer` }, keys.own);
    case "expired":
      // An hour past: beyond any clock tolerance a client allows.
      return sign({ ...claims, iat: now - 7200, exp: now - 3600 }, keys.own);
    case "alg-none":
      return new UnsecuredJWT(claims).encode();
    case "nonce-mismatch":
      return sign({ ...claims, nonce: randomBytes(16).toString("base64url") }, keys.own);
    case "bad-signature":
      return sign(claims, keys.stranger);
  }
}

function sign(claims: JWTPayload, key: SigningKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid }).sign(key.privateKey);
}
