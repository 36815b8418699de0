import { randomBytes } from "node:crypto";
import { generateAuthSecret, generateSigningKey } from "@/lib/auth/generate-secrets";
import { resetEnvCache } from "@/lib/env";

/** The native apps registered in every test process (NATIVE_CLIENTS). */
export const TEST_NATIVE_CLIENTS = [
  { clientId: "com.example.notes", redirectUris: ["com.example.notes:/oauth/callback", "https://notes.example.com/oauth/callback", "http://127.0.0.1/callback"] },
  { clientId: "com.example.other", redirectUris: ["com.example.other:/oauth/callback"] },
];

/** Fresh secrets for one test process, as production would have them. */
export async function useTestSecrets(): Promise<void> {
  process.env.AUTH_SECRET = generateAuthSecret();
  process.env.JWT_SIGNING_KEYS = JSON.stringify([await generateSigningKey()]);
  process.env.APP_URL = "http://localhost:3000";
  // Many tests sign native clients in with a password; tests/integration/authorize.test.ts turns it off to see it refused.
  process.env.PASSWORD_GRANT = "true";
  process.env.NATIVE_CLIENTS = JSON.stringify(TEST_NATIVE_CLIENTS);
  // What server.mjs sets for itself at start (tests/support/client.ts sends it as server.mjs does).
  process.env.DOORMAN_PEER_PROOF = randomBytes(32).toString("base64url");
  resetEnvCache();
}
