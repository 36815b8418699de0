import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from "jose";

// Each stand-in signs with a key made at start: nothing to commit, and a token
// from one run can never verify in another.

export type SigningAlg = "RS256" | "ES256";

export type SigningKey = {
  alg: SigningAlg;
  kid: string;
  privateKey: CryptoKey;
  /** The private JWK, for oidc-provider's `jwks` (it publishes the public half). */
  privateJwk: JWK;
};

export async function generateSigningKey(alg: SigningAlg): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return { alg, kid, privateKey, privateJwk: { ...(await exportJWK(privateKey)), kid, alg, use: "sig" } };
}
