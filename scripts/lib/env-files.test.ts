import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// The command-line scripts read .env files as Next does (scripts/lib/env-files.ts,
// docs/decisions/0032). Each case runs a real script with tsx in a directory of
// its own .env files, as `npm run …` runs it in the project.

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
const VARIABLES = ["NODE_ENV", "AUTH_SECRET", "JWT_SIGNING_KEYS", "DATA_DIR", "DATABASE_URL", "__NEXT_PROCESSED_ENV"];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "doorman-env-files-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The environment of a shell with none of the app's variables (Vitest sets NODE_ENV=test). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TSX_TSCONFIG_PATH: path.join(ROOT, "tsconfig.json") };
  for (const name of VARIABLES) delete env[name];
  return { ...env, ...extra };
}

function runScript(script: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, [TSX, path.join(ROOT, "scripts", script), ...args], { cwd: dir, env, encoding: "utf8", timeout: 60_000 });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return result.stdout;
}

/** One .env file per name, each setting JWT_SIGNING_KEYS to a key named after the file. */
function writeEnvFiles(...names: string[]): void {
  for (const name of names) writeFileSync(path.join(dir, name), `JWT_SIGNING_KEYS='[{"kid":"${name}"}]'\n`);
}

/** Which configured key `npm run keys -- --rotate` put behind the new one: which file was read. */
function rotatedFrom(env: NodeJS.ProcessEnv = cleanEnv()): string {
  const stdout = runScript("keys.ts", ["--rotate"], env);
  const keys = JSON.parse(/^JWT_SIGNING_KEYS='(.*)'$/m.exec(stdout)![1]!) as { kid: string }[];
  expect(keys).toHaveLength(2);
  return keys[1]!.kid;
}

describe("the scripts' .env files", { timeout: 120_000 }, () => {
  it("are the production ones when NODE_ENV is unset, as `next start` reads them, in Next's order", () => {
    writeEnvFiles(".env", ".env.production", ".env.local", ".env.production.local", ".env.development", ".env.development.local");
    expect(rotatedFrom()).toBe(".env.production.local");
    rmSync(path.join(dir, ".env.production.local"));
    expect(rotatedFrom()).toBe(".env.local");
    rmSync(path.join(dir, ".env.local"));
    expect(rotatedFrom()).toBe(".env.production");
    rmSync(path.join(dir, ".env.production"));
    expect(rotatedFrom()).toBe(".env");
  });

  it("follow NODE_ENV: development reads the development files, test skips .env.local", () => {
    writeEnvFiles(".env", ".env.local", ".env.production.local", ".env.development.local", ".env.test");
    expect(rotatedFrom(cleanEnv({ NODE_ENV: "development" }))).toBe(".env.development.local");
    expect(rotatedFrom(cleanEnv({ NODE_ENV: "test" }))).toBe(".env.test");
  });

  it("never override the environment itself", () => {
    writeEnvFiles(".env", ".env.local", ".env.production.local");
    expect(rotatedFrom(cleanEnv({ JWT_SIGNING_KEYS: '[{"kid":"from-the-environment"}]' }))).toBe("from-the-environment");
  });

  it("are loaded by every script, first", () => {
    const scripts = readdirSync(path.join(ROOT, "scripts")).filter((name) => name.endsWith(".ts"));
    expect(scripts.length).toBeGreaterThanOrEqual(5);
    for (const name of scripts) {
      const source = readFileSync(path.join(ROOT, "scripts", name), "utf8");
      expect(source.split("\n")[0], name).toBe('import { loadEnvFiles } from "./lib/env-files";');
      expect(source, name).toMatch(/^(const \w+ = )?loadEnvFiles\("(production|development)"\);$/m);
    }
  });
});

describe("npm run dev's secrets", { timeout: 120_000 }, () => {
  /**
   * scripts/dev.ts as `npm run dev` runs it, with `npx` (which would start
   * `next dev`) replaced on PATH by a script that prints what it was given.
   */
  function devChildEnv(env: NodeJS.ProcessEnv = cleanEnv()): Record<"AUTH_SECRET" | "JWT_SIGNING_KEYS" | "NODE_ENV", string | null> {
    const bin = path.join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    const names = JSON.stringify(["AUTH_SECRET", "JWT_SIGNING_KEYS", "NODE_ENV"]);
    writeFileSync(
      path.join(bin, "npx"),
      `#!/usr/bin/env node\nconsole.log(JSON.stringify(Object.fromEntries(${names}.map((name) => [name, process.env[name] ?? null]))));\n`,
    );
    chmodSync(path.join(bin, "npx"), 0o755);
    const stdout = runScript("dev.ts", [], { ...env, PATH: `${bin}:${env.PATH}`, DATA_DIR: path.join(dir, "data") });
    return JSON.parse(stdout.trim()) as Record<"AUTH_SECRET" | "JWT_SIGNING_KEYS" | "NODE_ENV", string | null>;
  }

  const OWN_SECRET = "my-own-development-secret-from-env-local-0123456789";

  // Regression: a generated AUTH_SECRET, passed in next dev's environment, beat the one in .env.local.
  it("keep an AUTH_SECRET from .env.local: next dev gets none from the script, and reads the file itself", () => {
    writeFileSync(path.join(dir, ".env.local"), `AUTH_SECRET=${OWN_SECRET}\n`);
    const child = devChildEnv();
    expect(child.AUTH_SECRET).toBeNull();
    // The one it does not set is generated, and kept in DATA_DIR.
    const saved = JSON.parse(readFileSync(path.join(dir, "data", "dev-secrets.json"), "utf8")) as { JWT_SIGNING_KEYS: string };
    expect(child.JWT_SIGNING_KEYS).toBe(saved.JWT_SIGNING_KEYS);
    expect(child.NODE_ENV).toBeNull();
  });

  it("keep one from the environment, and generate what nothing sets", () => {
    expect(devChildEnv(cleanEnv({ AUTH_SECRET: OWN_SECRET })).AUTH_SECRET).toBe(OWN_SECRET);
    const generated = devChildEnv();
    const saved = JSON.parse(readFileSync(path.join(dir, "data", "dev-secrets.json"), "utf8")) as { AUTH_SECRET: string };
    expect(generated.AUTH_SECRET).toBe(saved.AUTH_SECRET);
    expect(generated.AUTH_SECRET).not.toBe(OWN_SECRET);
  });
});
