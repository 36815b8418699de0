import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { createDatabase, startNodeServer } from "../../scripts/lib/app-process";
import { send, type Cookies } from "./http";
import { BENCH_USER, profileArgs, type Cleanup } from "./instances";

// The benchmark's peer: bench/peers/better-auth, a minimal Next.js app with the
// same routes as Doorman's, signed in with Better Auth on PostgreSQL. It has its
// own dependencies, so it is installed and built outside the repository, once
// per version of its files, and each run starts `next start` on that build.

const SOURCE = path.resolve(__dirname, "../peers/better-auth");
/** Written by the peer's install and build: not part of what it is. */
const GENERATED = new Set(["node_modules", ".next", "next-env.d.ts", "tsconfig.tsbuildinfo"]);
const BUILD_NAME = /^better-auth-[0-9a-f]{16}$/;
const SESSION_COOKIE = "better-auth.session_token";
const CACHE_COOKIE = "better-auth.session_data";

export type BetterAuthPeer = {
  origin: string;
  pid: number;
  /** The cookies a browser sends once signed in as the bench user. */
  session: Cookies;
  /**
   * A new session's cookies. With the cookie cache on, the cached copy in
   * `session` expires 5 minutes after sign-in; from then on every request
   * reads the database again and answers with a new copy, which a load
   * generator replaying fixed cookies never sends back: sign in anew before
   * each measurement that should see the cache.
   */
  signIn: () => Promise<Cookies>;
  label: string;
};

/**
 * The peer on `port`, on a fresh database of the `adminUrl` server migrated
 * with Better Auth's own schema, with the bench user signed up and signed in.
 * `cookieCache` switches Better Auth's 5-minute session cookie cache on. Each
 * call has its own database, so nothing one variant does (a refreshed or
 * revoked session) shows in another. Everything is undone by `cleanup`.
 */
export async function startBetterAuthPeer(
  port: number,
  options: { adminUrl: string; cookieCache: boolean },
  cleanup: Cleanup,
): Promise<BetterAuthPeer> {
  const dir = await peerBuild();
  const database = await createDatabase(options.adminUrl, "doorman_bench_peer");
  cleanup.add(database.drop);
  const env = {
    DATABASE_URL: database.url,
    BETTER_AUTH_SECRET: randomBytes(32).toString("base64"),
    BETTER_AUTH_URL: `http://127.0.0.1:${port}`,
    BETTER_AUTH_COOKIE_CACHE: options.cookieCache ? "1" : "0",
  };
  await npm(dir, ["run", "-s", "migrate"], env, "pipe");
  const app = await startNodeServer(port, {
    cwd: dir,
    args: [...profileArgs(port), "node_modules/next/dist/bin/next", "start"],
    env,
    readyPath: "/",
  });
  cleanup.add(app.stop);
  const withLogs = (error: Error) => {
    throw new Error(`${error.message}\nThe peer's output:\n${app.logs()}`);
  };
  const cookieNames = options.cookieCache ? [SESSION_COOKIE, CACHE_COOKIE] : [SESSION_COOKIE];
  const signIn = () => signInAs(app.origin, cookieNames).catch(withLogs);
  await signUp(app.origin).catch(withLogs);
  const version = (JSON.parse(readFileSync(path.join(dir, "node_modules/better-auth/package.json"), "utf8")) as { version: string }).version;
  return {
    origin: app.origin,
    pid: app.pid,
    session: await signIn(),
    signIn,
    label: `Better Auth ${version}, cookie cache ${options.cookieCache ? "on (5 min)" : "off"}`,
  };
}

// A browser's POST carries its Origin: Better Auth refuses a sign-up or sign-in
// without one when Fetch Metadata headers are present, as Node's fetch sends them.
const fromPage = (origin: string) => ({ method: "POST", headers: { origin } });

/** The bench user, created through Better Auth's HTTP API. */
async function signUp(origin: string): Promise<void> {
  const reply = await send(origin, "/api/auth/sign-up/email", { ...fromPage(origin), json: BENCH_USER });
  if (reply.status !== 200) throw new Error(`peer sign-up answered ${reply.status}: ${reply.body.slice(0, 300)}`);
}

/** Signs the bench user in through the HTTP API; the named cookies it sets. */
async function signInAs(origin: string, names: readonly string[]): Promise<Cookies> {
  const reply = await send(origin, "/api/auth/sign-in/email", {
    ...fromPage(origin),
    json: { email: BENCH_USER.email, password: BENCH_USER.password },
  });
  const session: Cookies = {};
  for (const name of names) {
    const value = reply.setCookies[name];
    if (reply.status !== 200 || !value) throw new Error(`peer sign-in answered ${reply.status} without ${name}: ${reply.body.slice(0, 300)}`);
    session[name] = value;
  }
  return session;
}

let building: Promise<string> | undefined;

/** The folder holding the peer installed and built from the current files; one build for all the calls of a run. */
function peerBuild(): Promise<string> {
  return (building ??= buildPeer());
}

/**
 * Built in a scratch folder renamed into place at the end, so that an
 * interrupted build is never taken for a finished one; older builds are removed.
 */
async function buildPeer(): Promise<string> {
  const cache = path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache"), "doorman-bench");
  const dir = path.join(cache, `better-auth-${sourceHash()}`);
  if (existsSync(path.join(dir, ".next", "BUILD_ID"))) {
    console.log(`Better Auth peer: reusing the build in ${dir}`);
    return dir;
  }
  const scratch = `${dir}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  cpSync(SOURCE, scratch, { recursive: true, filter: (file) => !GENERATED.has(path.basename(file)) });
  console.log(`Better Auth peer: no build of the current bench/peers/better-auth yet; npm ci and next build in ${scratch} (not counted in the benchmark's time).`);
  const started = performance.now();
  // --include=dev: the bench runs with NODE_ENV=production, where npm would leave out TypeScript and tsx.
  await npm(scratch, ["ci", "--include=dev", "--no-audit", "--no-fund"], {}, "inherit");
  // Next loads every route while collecting page data, and Better Auth, created there,
  // logs an error without a secret; nothing read here is kept in the build.
  await npm(scratch, ["run", "-s", "build"], { BETTER_AUTH_SECRET: randomBytes(32).toString("base64"), BETTER_AUTH_URL: "http://127.0.0.1" }, "inherit");
  try {
    renameSync(scratch, dir);
  } catch (error) {
    // Another run finished the same build first: use that one.
    if (!existsSync(path.join(dir, ".next", "BUILD_ID"))) throw error;
    rmSync(scratch, { recursive: true, force: true });
  }
  for (const name of readdirSync(cache)) {
    if (BUILD_NAME.test(name) && name !== path.basename(dir)) rmSync(path.join(cache, name), { recursive: true, force: true });
  }
  console.log(`Better Auth peer: built in ${((performance.now() - started) / 1000).toFixed(0)} s, kept in ${dir}`);
  return dir;
}

/** Every source file of the peer, by path and content: a new key whenever one changes. */
function sourceHash(): string {
  const hash = createHash("sha256");
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(SOURCE, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (GENERATED.has(entry.name)) continue;
      const file = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(file);
      else hash.update(`${file}\0`).update(readFileSync(path.join(SOURCE, file))).update("\0");
    }
  };
  walk("");
  return hash.digest("hex").slice(0, 16);
}

/** `npm …args` in `cwd`; its output shown as it runs ("inherit") or only if it fails ("pipe"). */
function npm(cwd: string, args: string[], env: Record<string, string>, stdio: "inherit" | "pipe"): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", stdio, stdio] });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`npm ${args.join(" ")} in ${cwd} exited (${code})${output ? `:\n${output}` : ""}`))));
  });
}
