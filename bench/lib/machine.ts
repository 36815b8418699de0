import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

// What the figures were measured on and with: they mean little without it.

const ROOT = path.resolve(__dirname, "../..");

export const COMPARED_PACKAGES = ["next", "jose", "iron-session", "@auth/core", "bcryptjs", "@electric-sql/pglite", "postgres", "autocannon"];

export function packageVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string };
  return manifest.version;
}

export function machineLines(): string[] {
  const cpus = os.cpus();
  const load = os.loadavg().map((value) => value.toFixed(2)).join(", ");
  return [
    `CPU: ${cpus[0]?.model.trim() ?? "unknown"}, ${os.availableParallelism()} cores available`,
    `Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; load average at start (1, 5, 15 min): ${load}`,
    `OS: ${os.type()} ${os.release()} (${os.arch()}); Node.js ${process.version}`,
  ];
}

export function gitRevision(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    // The results file itself does not count: each run rewrites it.
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results.md"], {
      cwd: ROOT,
      encoding: "utf8",
    }).trim();
    return dirty ? `${head} with uncommitted changes` : head;
  } catch {
    return "unknown";
  }
}

export async function postgresServerVersion(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ server_version: string }[]>`show server_version`;
    return row?.server_version ?? "unknown";
  } finally {
    await sql.end();
  }
}
