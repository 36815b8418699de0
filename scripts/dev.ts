import { loadEnvFiles } from "./lib/env-files";
import { spawn } from "node:child_process";
import { env } from "@/lib/env";
import { missingDevSecrets } from "@/lib/dev-secrets";

// `npm run dev`: `next dev`, with a development secret from DATA_DIR (made on
// first run) for each one neither the environment nor the .env files set.

const environment = loadEnvFiles("development");

async function main(): Promise<void> {
  const child = spawn("npx", ["next", "dev", ...process.argv.slice(2)], {
    stdio: "inherit",
    // The environment as it came: `next dev` reads (and watches) the .env files itself.
    env: { ...environment, ...(await missingDevSecrets(env())) },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
