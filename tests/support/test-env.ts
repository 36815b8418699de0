import { generateAuthSecret, generateSigningKey } from "@/lib/auth/generate-secrets";
import { resetEnvCache } from "@/lib/env";

/** Fresh secrets for one test process, as production would have them. */
export async function useTestSecrets(): Promise<void> {
  process.env.AUTH_SECRET = generateAuthSecret();
  process.env.JWT_SIGNING_KEYS = JSON.stringify([await generateSigningKey()]);
  process.env.APP_URL = "http://localhost:3000";
  resetEnvCache();
}
