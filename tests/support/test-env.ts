import { randomBytes } from "node:crypto";
import { generateAuthSecret, generateSigningKey } from "@/lib/auth/generate-secrets";
import { resetEnvCache } from "@/lib/env";

/** Fresh secrets for one test process, as production would have them. */
export async function useTestSecrets(): Promise<void> {
  process.env.AUTH_SECRET = generateAuthSecret();
  process.env.JWT_SIGNING_KEYS = JSON.stringify([await generateSigningKey()]);
  process.env.APP_URL = "http://localhost:3000";
  // What server.mjs sets for itself at start (tests/support/client.ts sends it as server.mjs does).
  process.env.DOORMAN_PEER_PROOF = randomBytes(32).toString("base64url");
  resetEnvCache();
}
