import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import postgres from "postgres";
import { generateAuthSecret, generateSigningKey } from "../../lib/auth/generate-secrets";

// Extra `npm start` (server.mjs) processes, for the e2e tests that need more than the
// shared server (several instances on one PostgreSQL, a database that goes away) and
// for `npm run bench`.

const ROOT = path.resolve(__dirname, "../..");

export type AppProcess = { origin: string; pid: number; logs: () => string; stop: () => Promise<void> };

export async function testSecrets(): Promise<{ AUTH_SECRET: string; JWT_SIGNING_KEYS: string }> {
  return { AUTH_SECRET: generateAuthSecret(), JWT_SIGNING_KEYS: JSON.stringify([await generateSigningKey()]) };
}

/** How the app is launched: `npm start`, or plain `next start` for tests that show what it lacks. */
export const LAUNCHERS = { serverMjs: ["server.mjs"], nextStart: ["node_modules/next/dist/bin/next", "start"] } as const;

/**
 * Starts the app as `npm start` does, on a port, and resolves once it answers.
 * `nodeArgs` go to node before server.mjs (the benchmark's --cpu-prof).
 */
export async function startApp(
  port: number,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  launcher: readonly string[] = LAUNCHERS.serverMjs,
): Promise<AppProcess> {
  return startNodeServer(port, {
    cwd: ROOT,
    args: [...nodeArgs, ...launcher],
    env: { INTERNAL_URL: `http://127.0.0.1:${port}`, ...env },
    readyPath: "/.well-known/jwks.json",
  });
}

/**
 * A production Node server (`node …args -p port -H 127.0.0.1` in `cwd`), resolved once
 * `readyPath` answers 2xx. The pid is node's own: the process that serves, whose CPU the benchmark reads.
 */
export async function startNodeServer(
  port: number,
  options: { cwd: string; args: readonly string[]; env: Record<string, string>; readyPath: string },
): Promise<AppProcess> {
  const command = options.args.join(" ");
  const child: ChildProcess = spawn(process.execPath, [...options.args, "-p", String(port), "-H", "127.0.0.1"], {
    cwd: options.cwd,
    env: { ...process.env, NODE_ENV: "production", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${origin}${options.readyPath}`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`${command} did not answer within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    origin,
    pid: child.pid!,
    logs: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** A fresh, empty database on the server of `adminUrl`, dropped by the returned function. */
export async function createDatabase(adminUrl: string, prefix = "doorman_e2e"): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * Applies the migrations and creates a verified user with the real CLI
 * commands, on a PostgreSQL URL or in an embedded database directory.
 */
export function prepareDatabase(
  database: string | { dataDir: string },
  user: { email: string; password: string; name: string },
): void {
  // An empty DATABASE_URL means unset (lib/env.ts): the embedded database in DATA_DIR.
  const target = typeof database === "string" ? { DATABASE_URL: database } : { DATABASE_URL: "", DATA_DIR: database.dataDir };
  const env: NodeJS.ProcessEnv = { ...process.env, ...target, NODE_ENV: "production" };
  const result = spawnSync("npm", ["run", "-s", "db:migrate"], { cwd: ROOT, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`npm run db:migrate failed:\n${result.stdout}${result.stderr}`);
  createUserWithCli(env, user);
}

/** `npm run user -- create`, the password piped in on stdin as the README shows (never in argv). */
export function createUserWithCli(env: NodeJS.ProcessEnv, user: { email: string; password: string; name: string }): void {
  const args = ["run", "-s", "user", "--", "create", "--email", user.email, "--name", user.name];
  const result = spawnSync("npm", args, { cwd: ROOT, env, input: `${user.password}\n`, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`npm ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
}
