import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import { ACCESS_TOKEN_ALG } from "@/lib/auth/edge/keys";

// What `npm run keys` prints and what development generates into DATA_DIR.

export function generateAuthSecret(): string {
  return randomBytes(32).toString("base64url");
}

export async function generateSigningKey(): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = `k${new Date().toISOString().slice(0, 10).replaceAll("-", "")}-${randomBytes(6).toString("base64url")}`;
  return { ...jwk, kid, alg: ACCESS_TOKEN_ALG };
}
