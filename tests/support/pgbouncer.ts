import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

// A real PgBouncer in transaction mode in front of the test PostgreSQL, the
// way Neon's and Supabase's poolers stand in front of theirs: each transaction
// may run on a different server connection. Started and stopped by the test
// file that needs it; its configuration lives in a temporary directory.

/** The first free one is taken: a system PgBouncer may hold 6432. */
const PORTS = [6432, 6433, 6434, 6435];

export type PgBouncer = {
  /** `target` with its host and port replaced by the pooler's. */
  url: string;
  /** PgBouncer's admin console (SHOW STATS and the like; simple query protocol only). */
  adminUrl: string;
  version: string;
  stop(): Promise<void>;
};

/** Where pgbouncer is installed, or why these tests cannot run. */
export function findPgBouncer(): { binary: string; version: string } | { missing: string } {
  const found = spawnSync("sh", ["-c", "command -v pgbouncer || ls /usr/sbin/pgbouncer"], { encoding: "utf8" });
  const binary = found.stdout.trim().split("\n")[0];
  if (found.status !== 0 || !binary) return { missing: "no pgbouncer binary (apt-get install pgbouncer)" };
  const version = /PgBouncer (\d+\.\d+(?:\.\d+)?)/.exec(spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout)?.[1];
  return version ? { binary, version } : { missing: `${binary} --version printed no version` };
}

export async function startPgBouncer(binary: string, version: string, target: string, options: { poolSize: number }): Promise<PgBouncer> {
  const upstream = new URL(target);
  const port = await firstFreePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "doorman-pgbouncer-"));
  const user = decodeURIComponent(upstream.username);
  // PgBouncer refuses to run as root; `-u` drops to another user, who must read these files.
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, "users.txt"), `"${user}" ""\n`, { mode: 0o644 });
  fs.writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${upstream.hostname} port=${upstream.port || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "users.txt")}`,
      `admin_users = ${user}`,
      "pool_mode = transaction",
      `default_pool_size = ${options.poolSize}`,
      "max_client_conn = 500",
      // Hand out server connections in turn, not the most recently used first, so
      // consecutive transactions of one client really land on different sessions.
      "server_round_robin = 1",
      "",
    ].join("\n"),
    { mode: 0o644 },
  );
  const asRoot = process.getuid?.() === 0 ? ["-u", "nobody"] : [];
  const child = spawn(binary, [...asRoot, path.join(dir, "pgbouncer.ini")], { stdio: ["ignore", "ignore", "pipe"] });
  // Should the test's own cleanup never run (a timed-out hook), the pooler still goes with the worker.
  const orphaned = () => child.kill("SIGTERM");
  process.once("exit", orphaned);
  let output = "";
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await waitUntilListening(child, port, () => output);

  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  const adminUrl = new URL(url);
  adminUrl.pathname = "/pgbouncer";
  return {
    url: url.toString(),
    adminUrl: adminUrl.toString(),
    version,
    async stop() {
      process.off("exit", orphaned);
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Major and minor of a version such as "1.18.0", for comparisons. */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split(".").map(Number);
  return a > major || (a === major && b >= minor);
}

async function firstFreePort(): Promise<number> {
  for (const port of PORTS) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer().once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`ports ${PORTS.join(", ")} are all taken: no room for the test PgBouncer`);
}

async function waitUntilListening(child: ChildProcess, port: number, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited (${child.exitCode}):\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => socket.end(() => resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGTERM");
  throw new Error(`pgbouncer did not listen on ${port} within 5 s:\n${output()}`);
}
