import { loadEnvConfig } from "@next/env";

// The command-line scripts read the same .env files as the server they sit
// beside, with Next's own loader (`@next/env`, pinned to next's version), so a
// value set for `npm start` or `npm run dev` holds for them too
// (docs/decisions/0032). Precedence, first wins: the environment itself, then
// .env.$mode.local, .env.local (not in test), .env.$mode, .env.

/**
 * Loads the files of NODE_ENV's mode (development, production or test), or
 * of `mode` when NODE_ENV is unset: "production" for what operators run
 * beside `npm start` (`next start` reads the production files),
 * "development" for `npm run dev`. An unset NODE_ENV becomes `mode`, as
 * `next start` and `next dev` set it, so lib/env.ts reads the configuration
 * as that server does. Returns the environment as it was before, for a child
 * process that loads the files itself (`next dev`). Call it before anything
 * reads the configuration (lib/env.ts reads it on first use).
 */
export function loadEnvFiles(mode: "development" | "production"): NodeJS.ProcessEnv {
  const before = { ...process.env };
  // Next's types make NODE_ENV read-only.
  if (!process.env.NODE_ENV) Object.assign(process.env, { NODE_ENV: mode });
  // Next's loader names the files it read on stdout, which `npm run keys > .env.production.local` writes to a file.
  loadEnvConfig(process.cwd(), process.env.NODE_ENV === "development", { info: () => {}, error: console.error });
  return before;
}
