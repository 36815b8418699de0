import { spawn } from "node:child_process";
import { env } from "@/lib/env";
import { loadOrCreateDevSecrets } from "@/lib/dev-secrets";

// `npm run dev`: development secrets from DATA_DIR (made on first run), then
// `next dev`. Values already set in the environment win.

async function main(): Promise<void> {
  const config = env();
  const secrets = await loadOrCreateDevSecrets(config.DATA_DIR);
  const child = spawn("npx", ["next", "dev", ...process.argv.slice(2)], {
    stdio: "inherit",
    env: {
      ...process.env,
      AUTH_SECRET: config.AUTH_SECRET ?? secrets.AUTH_SECRET,
      JWT_SIGNING_KEYS: config.JWT_SIGNING_KEYS ?? secrets.JWT_SIGNING_KEYS,
    },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
