import fs from "node:fs";
import path from "node:path";
import { generateAuthSecret, generateSigningKey } from "@/lib/auth/generate-secrets";

// Development only: secrets made once and kept in DATA_DIR, so `npm run dev`
// needs no .env editing and a restart does not sign anyone out.

export type DevSecrets = { AUTH_SECRET: string; JWT_SIGNING_KEYS: string };

export async function loadOrCreateDevSecrets(dataDir: string): Promise<DevSecrets> {
  const file = path.resolve(dataDir, "dev-secrets.json");
  try {
    const saved = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<DevSecrets>;
    if (typeof saved.AUTH_SECRET === "string" && typeof saved.JWT_SIGNING_KEYS === "string") {
      return { AUTH_SECRET: saved.AUTH_SECRET, JWT_SIGNING_KEYS: saved.JWT_SIGNING_KEYS };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secrets: DevSecrets = {
    AUTH_SECRET: generateAuthSecret(),
    JWT_SIGNING_KEYS: JSON.stringify([await generateSigningKey()]),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

/**
 * What `npm run dev` adds to `next dev`'s environment: a generated secret for
 * each one the environment and the .env files leave unset. One set there (an
 * AUTH_SECRET in .env.local) is the user's, and stays.
 */
export async function missingDevSecrets(configured: {
  DATA_DIR: string;
  AUTH_SECRET?: string | undefined;
  JWT_SIGNING_KEYS?: string | undefined;
}): Promise<Partial<DevSecrets>> {
  if (configured.AUTH_SECRET && configured.JWT_SIGNING_KEYS) return {};
  const generated = await loadOrCreateDevSecrets(configured.DATA_DIR);
  return {
    ...(configured.AUTH_SECRET ? {} : { AUTH_SECRET: generated.AUTH_SECRET }),
    ...(configured.JWT_SIGNING_KEYS ? {} : { JWT_SIGNING_KEYS: generated.JWT_SIGNING_KEYS }),
  };
}
