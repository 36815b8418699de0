import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase, prepareDatabase, startApp, type AppProcess } from "../../scripts/lib/app-process";

// App instances for the benchmark: `node server.mjs` on a production build, as
// `npm start` runs it, each with its own environment. Ports 3410–3420 only
// (other checkouts on this machine test on 3100–3399; 3400 is left to e2e).

export const PORTS = { pglite: 3410, pgliteOneThread: 3411, postgresA: 3412, postgresB: 3413, peerCacheOff: 3414, peerCacheOn: 3415, retention: 3416 } as const;

export const BENCH_USER = { email: "bench@doorman.test", password: "a bench passphrase, long enough", name: "Bench User" };

export type Secrets = { AUTH_SECRET: string; JWT_SIGNING_KEYS: string };

export type Database = { env: Record<string, string>; label: string };

/** Undo everything this run made (instances, temporary directories, databases), last made first. */
export class Cleanup {
  private readonly steps: (() => Promise<void> | void)[] = [];
  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }
  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        console.error("cleanup:", error instanceof Error ? error.message : error);
      }
    }
  }
}

/**
 * A migrated embedded database with the bench user, made once with the real
 * CLI commands; each instance gets its own copy (one process per DATA_DIR).
 */
export function pgliteTemplate(cleanup: Cleanup): string {
  const dir = mkdtempSync(path.join(tmpdir(), "doorman-bench-template-"));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  prepareDatabase({ dataDir: dir }, BENCH_USER);
  return dir;
}

export function pgliteCopy(template: string, cleanup: Cleanup): Database {
  const dir = mkdtempSync(path.join(tmpdir(), "doorman-bench-pglite-"));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(template, dir, { recursive: true });
  return { env: { DATABASE_URL: "", DATA_DIR: dir }, label: "PGlite" };
}

/** A fresh database on the given server, migrated, with the bench user; dropped at the end. */
export async function postgresDatabase(adminUrl: string, cleanup: Cleanup): Promise<Database> {
  const database = await createDatabase(adminUrl, "doorman_bench");
  cleanup.add(database.drop);
  prepareDatabase(database.url, BENCH_USER);
  return { env: { DATABASE_URL: database.url }, label: "PostgreSQL" };
}

/**
 * `appOrigin` is the public origin (APP_URL): instances of one deployment
 * share it, so each one accepts the others' access tokens (the issuer).
 */
export async function startInstance(
  port: number,
  options: { secrets: Secrets; database: Database; appOrigin?: string; env?: Record<string, string> },
  cleanup: Cleanup,
): Promise<AppProcess> {
  const app = await startApp(port, {
    ...options.secrets,
    ...options.database.env,
    APP_URL: options.appOrigin ?? `http://127.0.0.1:${port}`,
    // As behind a proxy: each simulated client sends its own X-Forwarded-For,
    // and the real per-IP limits apply to it (docs/decisions/0008-client-ip.md).
    TRUST_PROXY: "true",
    // Section 2 replays one API key hundreds of times a second: the per-key
    // limit is still counted on every request (one upsert), only never reached.
    API_KEY_RATE_LIMIT_PER_MINUTE: "1000000",
    ...options.env,
  }, profileArgs(port));
  cleanup.add(app.stop);
  return app;
}

let profileDir: string | null = null;

/** `--profile DIR`: every instance writes a CPU profile (open it in Chrome DevTools or speedscope) when it stops. */
export function profileInto(dir: string): void {
  profileDir = dir;
}

/** Node flags that make an instance on `port` write its CPU profile, when `--profile` asked for them. */
export function profileArgs(port: number): string[] {
  if (!profileDir) return [];
  const preload = path.join(__dirname, "exit-on-signal.mjs");
  // Node names each file CPU.<date>.<time>.<pid>.<thread>…; the port tells instances apart.
  return ["--cpu-prof", `--cpu-prof-dir=${path.join(profileDir, String(port))}`, "--import", preload];
}
