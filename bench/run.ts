import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { resetEnvCache } from "@/lib/env";
import type { AppProcess } from "../scripts/lib/app-process";
import { testSecrets } from "../scripts/lib/app-process";
import { Cleanup, PORTS, pgliteCopy, profileInto, pgliteTemplate, postgresDatabase, startInstance, type Database } from "./lib/instances";
import { COMPARED_PACKAGES, gitRevision, machineLines, packageVersion, postgresServerVersion } from "./lib/machine";
import { renderSection, renderTable, type SectionResult } from "./lib/markdown";
import { benchOptions } from "./lib/options";
import { refreshClients, type RefreshClient } from "./lib/refresh-load";
import { createApiKey, logIn, logInMany, signUpMany } from "./lib/session";
import { benchBoundedTables, retentionInstanceEnv } from "./sections/bounded-tables";
import { benchLoginStorm, STORM_CLIENTS, STORM_INSTANCE_ENV } from "./sections/login-storm";
import { benchPages, type PageApp } from "./sections/pages";
import { startBetterAuthPeer } from "./lib/better-auth-peer";
import { benchRefresh, type RefreshTarget } from "./sections/refresh";
import { benchScaleOut } from "./sections/scale-out";
import { benchStampede } from "./sections/stampede";
import { benchVerify } from "./sections/verify";

// npm run bench [-- --quick] [--only 1,3] [--out file.md] [--profile dir]
// Runs the seven measurements side by side and writes bench/results.md.
// It exits non-zero only when something crashes, never for a missed target:
// CI runs `--quick` to prove the benchmark works, not to judge speed.

const ROOT = path.resolve(__dirname, "..");

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      out: { type: "string" },
      profile: { type: "string" },
    },
  });
  if (values.profile) profileInto(path.resolve(values.profile));
  const options = benchOptions(values.quick ?? false);
  const only = new Set((values.only ?? "1,2,3,4,5,6,7").split(",").map((s) => Number(s.trim())));
  const out = path.resolve(values.out ?? path.join(ROOT, "bench", "results.md"));
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "";
  ensureBuild();
  const startedAt = new Date();
  const clock = performance.now();
  const secrets = await testSecrets();
  // This process verifies tokens itself (section 1) and unseals refresh cookies
  // (section 4) with the same configuration the instances get.
  Object.assign(process.env, { ...secrets, APP_URL: "http://127.0.0.1:3410", NODE_ENV: "production" });
  resetEnvCache();

  const cleanup = new Cleanup();
  const stop = () => void cleanup.run().finally(() => process.exit(130));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);

  const lazy = <T>(make: () => Promise<T>) => {
    let made: Promise<T> | undefined;
    return () => (made ??= make());
  };
  const template = lazy(async () => pgliteTemplate(cleanup));
  const pglite = lazy(async () =>
    startInstance(PORTS.pglite, { secrets, database: pgliteCopy(await template(), cleanup), env: STORM_INSTANCE_ENV }, cleanup),
  );
  const postgresDb = lazy(async (): Promise<Database | null> => (adminUrl ? postgresDatabase(adminUrl, cleanup) : null));
  // Two instances of one deployment: one public origin (the JWT issuer), two processes.
  const postgresPair = lazy(async (): Promise<[AppProcess, AppProcess] | null> => {
    const database = await postgresDb();
    if (!database) return null;
    const shared = { secrets, database, appOrigin: `http://127.0.0.1:${PORTS.postgresA}` };
    return Promise.all([startInstance(PORTS.postgresA, shared, cleanup), startInstance(PORTS.postgresB, shared, cleanup)]);
  });
  const maxClients = Math.max(...options.refreshLevels);
  const pgliteClients = lazy(async () => refreshClients(await logInMany((await pglite()).origin, maxClients)));
  const postgresClients = lazy(async (): Promise<RefreshClient[] | null> => {
    const pair = await postgresPair();
    return pair ? refreshClients(await logInMany(pair[0].origin, maxClients)) : null;
  });
  const noPostgres = "PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL (a server where this user may create databases).";

  const results = new Map<number, SectionResult>();
  const record = (n: number, section: SectionResult) => {
    results.set(n, section);
    console.log(`\n${renderSection(section)}\n\n(${((performance.now() - clock) / 1000).toFixed(0)} s so far)`);
  };

  try {
    if (only.has(1)) record(1, await benchVerify(options, secrets.AUTH_SECRET));
    if (only.has(2)) {
      // Both at once: one instance boots while the other database is being prepared.
      const [embedded, pair] = await Promise.all([pglite(), postgresPair()]);
      const doormans = [{ label: "Doorman, PGlite", app: embedded }, ...(pair ? [{ label: "Doorman, PostgreSQL", app: pair[0] }] : [])];
      const apps: PageApp[] = await Promise.all(
        doormans.map(async ({ label, app }) => {
          const session = await logIn(app.origin);
          return { label, origin: app.origin, pid: app.pid, session, apiKey: await createApiKey(app.origin, session), doorman: true };
        }),
      );
      const notes = pair ? [] : [noPostgres];
      if (pair && !options.quick) {
        // One after the other: a failed start must not leave the other running past cleanup.
        for (const [port, cookieCache] of [[PORTS.peerCacheOff, false], [PORTS.peerCacheOn, true]] as const) {
          const peer = await startBetterAuthPeer(port, { adminUrl, cookieCache }, cleanup);
          apps.push({ label: peer.label, origin: peer.origin, pid: peer.pid, session: peer.session, doorman: false, renew: cookieCache ? peer.signIn : undefined });
        }
      } else if (pair) notes.push("The Better Auth peer is left out of `--quick` runs: it is installed and built on first use.");
      record(2, await benchPages(options, apps, notes));
    }
    if (only.has(3)) {
      const targets: RefreshTarget[] = [{ label: "PGlite", app: await pglite(), clients: await pgliteClients() }];
      const pair = await postgresPair();
      const clients = await postgresClients();
      if (pair && clients) targets.push({ label: "PostgreSQL", app: pair[0], clients });
      record(3, await benchRefresh(options, targets, pair ? [] : [noPostgres]));
    }
    if (only.has(4)) {
      const pair = await postgresPair();
      const targets = [{ label: "PGlite", origin: (await pglite()).origin }, ...(pair ? [{ label: "PostgreSQL", origin: pair[0].origin }] : [])];
      record(4, await benchStampede(options, targets, secrets));
    }
    if (only.has(6)) {
      const pair = await postgresPair();
      const clients = await postgresClients();
      if (pair && clients) record(6, await benchScaleOut(options, pair, clients));
      else record(6, { title: "6. Scale-out: two instances on one PostgreSQL", method: noPostgres, tables: [], targets: [], notes: [] });
    }
    if (only.has(5)) {
      // Last: the other instances are idle by now, and this one is only needed here.
      const pooled = await pglite();
      const single = await startInstance(
        PORTS.pgliteOneThread,
        { secrets, database: pgliteCopy(await template(), cleanup), env: { ...STORM_INSTANCE_ENV, PASSWORD_HASH_THREADS: "1" } },
        cleanup,
      );
      record(
        5,
        await benchLoginStorm(
          options,
          {
            label: "pool (default size)",
            origin: pooled.origin,
            threads: Math.min(availableParallelism(), 4),
            reader: await logIn(pooled.origin),
            accounts: await signUpMany(pooled.origin, STORM_CLIENTS, "storm"),
          },
          {
            label: "one thread",
            origin: single.origin,
            threads: 1,
            reader: await logIn(single.origin),
            accounts: await signUpMany(single.origin, STORM_CLIENTS, "storm"),
          },
        ),
      );
    }
    if (only.has(7)) {
      // A database of its own: the row counts are this section's alone.
      if (adminUrl) {
        const database = await postgresDatabase(adminUrl, cleanup);
        const app = await startInstance(PORTS.retention, { secrets, database, env: retentionInstanceEnv(options) }, cleanup);
        record(7, await benchBoundedTables(options, app, database.env.DATABASE_URL!));
      } else record(7, { title: "7. Bounded tables under load", method: noPostgres, tables: [], targets: [], notes: [] });
    }
  } finally {
    await cleanup.run();
  }

  const seconds = (performance.now() - clock) / 1000;
  const database = adminUrl ? `PostgreSQL ${await postgresServerVersion(adminUrl)} on the same machine` : "no PostgreSQL";
  writeFileSync(out, report([...results.entries()].sort(([a], [b]) => a - b).map(([, s]) => s), { startedAt, seconds, quick: options.quick, database }));
  console.log(`\nWrote ${path.relative(process.cwd(), out)} (${seconds.toFixed(0)} s).`);
}

function report(sections: SectionResult[], run: { startedAt: Date; seconds: number; quick: boolean; database: string }): string {
  const mode = run.quick
    ? "**quick** (`npm run bench -- --quick`: a smoke run with one short round per section and at most 10 refresh clients; the figures are indicative only)"
    : "**full** (`npm run bench`)";
  const summary = renderTable({
    headers: ["section", "target", "goal", "measured", ""],
    rows: sections.flatMap((s) => s.targets.map((t) => [s.title.split(".")[0]!, t.what, t.goal, t.measured, t.met ? "met" : "**missed**"])),
  });
  return [
    "# Doorman benchmark results",
    `Mode: ${mode}. Taken ${run.startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC at ${gitRevision()}, ` +
      `in ${Math.round(run.seconds)} s. Regenerate with \`npm run bench\` after \`npx next build\`.`,
    machineLines().map((line) => `- ${line}`).join("\n") + `\n- Database: ${run.database}`,
    `Versions: ${COMPARED_PACKAGES.map((name) => `${name} ${packageVersion(name)}`).join(", ")}.`,
    "Every figure is the median of the rounds, with the smallest and largest round in brackets. Latencies are in " +
      "milliseconds unless marked µs. Load generator, app instances and PostgreSQL share the machine.",
    "## Targets",
    summary,
    ...sections.map(renderSection),
    "",
  ].join("\n\n");
}

/** The HTTP sections run `next start`'s server on a production build. */
function ensureBuild(): void {
  if (existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return;
  console.log("No production build in .next/: running `npx next build` first (not counted in the benchmark's time).");
  const build = spawnSync("npx", ["next", "build"], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) throw new Error("`next build` failed");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
