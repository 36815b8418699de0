import { loadEnvFiles } from "./lib/env-files";
import { generateAuthSecret, generateSigningKey } from "@/lib/auth/generate-secrets";
import { signingKeysJson } from "@/lib/env";

loadEnvFiles("production");

// `npm run keys`: fresh production secrets as NAME=value lines.
// `npm run keys -- --rotate`: a new signing key in front of the configured ones
// (the old keys keep verifying until you drop them, after the access-token lifetime).

async function main(): Promise<void> {
  const rotate = process.argv.includes("--rotate");
  const existing: unknown[] = rotate ? (JSON.parse(signingKeysJson()) as unknown[]) : [];
  const keys = [await generateSigningKey(), ...existing];
  if (!rotate) console.log(`AUTH_SECRET=${generateAuthSecret()}`);
  console.log(`JWT_SIGNING_KEYS='${JSON.stringify(keys)}'`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
