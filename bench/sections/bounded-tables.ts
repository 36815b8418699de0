import postgres from "postgres";
import type { PruneReport } from "@/lib/retention/prune";
import { PRUNED_TABLES as TABLES, type PrunedTable as TableName } from "@/lib/retention/rules";
import type { AppProcess } from "../../scripts/lib/app-process";
import { send, type Cookies } from "../lib/http";
import type { SectionResult } from "../lib/markdown";
import type { BenchOptions } from "../lib/options";
import { logIn } from "../lib/session";

// Section 7: retention (docs/decisions/0029). Sustained refresh and login
// load on PostgreSQL while GET /api/cron/prune runs every few seconds; every
// table's row count, sampled throughout, should stop growing once the
// shortest lifetimes have passed.

const CRON_SECRET = "bench-cron-secret-0123456789abcdef";
/** Both at once: refreshes rotate sessions, sign-ins start them (and write a security event each). */
const REFRESH_CLIENTS = 6;
const LOGIN_CLIENTS = 1;
/**
 * Client addresses, each pool taken in turn: rate-limit windows (10 minutes
 * to a day) outlast the run, so their rows are bounded by the addresses in
 * use, not by pruning. Enough that none reaches its allowance (300 refreshes,
 * 30 sign-ins per 10 minutes), few enough that all are in use before warm-up ends.
 */
const addressPool = (size: number, subnet: number) => {
  let next = 0;
  return () => `10.${subnet}.0.${next++ % size}`;
};

type Timing = { seconds: number; sessionSeconds: number; eventSeconds: number; checkpointSeconds: number; pruneSeconds: number };

// A session must outlive a sign-in's bcrypt hash queued behind the others' (a few seconds on two busy cores):
// its lifetime runs from the request's start.
const timing = (options: BenchOptions): Timing =>
  options.quick
    ? { seconds: 24, sessionSeconds: 8, eventSeconds: 3, checkpointSeconds: 2, pruneSeconds: 1 }
    : { seconds: 60, sessionSeconds: 12, eventSeconds: 6, checkpointSeconds: 4, pruneSeconds: 2 };

const days = (seconds: number) => String(seconds / 86_400);

/**
 * What the instance runs with: sessions that end after a few seconds, kept a
 * second once ended, and security events kept a little longer, so pruning has
 * work all through a short run. No mail goes out (there is no provider), and
 * waiting mail is never pruned: the new-device notice is off.
 */
export function retentionInstanceEnv(options: BenchOptions): Record<string, string> {
  const { sessionSeconds, eventSeconds } = timing(options);
  return {
    CRON_SECRET,
    REFRESH_ABSOLUTE_TTL_SECONDS: String(sessionSeconds),
    RETENTION_SESSION_TOKEN_DAYS: "0",
    RETENTION_SESSION_DAYS: days(1),
    RETENTION_OUTBOX_DAYS: "0",
    RETENTION_SECURITY_EVENT_DAYS: days(eventSeconds),
    NOTIFY_NEW_DEVICE_SIGN_IN: "false",
  };
}

/** Row counts, and how many rows prune had deleted by then. */
type Checkpoint = { atSeconds: number; counts: Record<TableName, number>; deleted: Record<TableName, number> };

export async function benchBoundedTables(options: BenchOptions, app: AppProcess, databaseUrl: string): Promise<SectionResult> {
  const { seconds, sessionSeconds, eventSeconds, checkpointSeconds, pruneSeconds } = timing(options);
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const refreshAddress = addressPool(256, 77);
  const signInAddress = addressPool(8, 78);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const running = () => performance.now() < deadline;
  const tally = { refreshes: 0, logins: 0, failures: 0, prunes: 0, unfinishedPrunes: 0 };
  const deleted = Object.fromEntries(TABLES.map((table) => [table, 0])) as Record<TableName, number>;

  const signIn = (): Promise<Cookies | null> =>
    logIn(app.origin, undefined, signInAddress()).then(
      (cookies) => {
        tally.logins += 1;
        return cookies;
      },
      () => {
        tally.failures += 1;
        return null;
      },
    );
  const refresher = async () => {
    let cookies = await signIn();
    while (running()) {
      if (!cookies) {
        cookies = await signIn();
        continue;
      }
      const reply = await send(app.origin, "/api/auth/refresh", { method: "POST", cookies, ip: refreshAddress() });
      if (reply.status === 200) {
        Object.assign(cookies, reply.setCookies);
        tally.refreshes += 1;
        // Its session reached its absolute lifetime: the person signs in again.
      } else if (reply.status === 401) cookies = await signIn();
      else tally.failures += 1;
    }
  };
  // Sessions started and abandoned: they end by expiring.
  const signer = async () => {
    while (running()) await signIn();
  };
  const pruner = async () => {
    while (running()) {
      const reply = await send(app.origin, "/api/cron/prune", { headers: { authorization: `Bearer ${CRON_SECRET}` } });
      if (reply.status === 200) {
        const report = JSON.parse(reply.body) as PruneReport;
        for (const table of TABLES) deleted[table] += report.deleted[table];
        tally.prunes += 1;
        if (!report.done) tally.unfinishedPrunes += 1;
      } else tally.failures += 1;
      await sleep(pruneSeconds * 1000);
    }
  };
  const checkpoints: Checkpoint[] = [];
  const sampler = async () => {
    while (running()) {
      await sleep(checkpointSeconds * 1000);
      checkpoints.push({ atSeconds: (performance.now() - started) / 1000, counts: await countRows(sql), deleted: { ...deleted } });
    }
  };

  try {
    await Promise.all([
      ...Array.from({ length: REFRESH_CLIENTS }, refresher),
      ...Array.from({ length: LOGIN_CLIENTS }, signer),
      pruner(),
      sampler(),
    ]);
  } finally {
    await sql.end({ timeout: 5 });
  }

  // Warm-up: a session's life, the longest retention window after it, one prune, and a sign-in's worth of slack.
  const warmUp = sessionSeconds + Math.max(1, eventSeconds) + pruneSeconds + 2;
  const steady = checkpoints.filter((c) => c.atSeconds >= warmUp);
  const first = steady[0];
  const last = steady.at(-1);
  const flatness = TABLES.map((table) => {
    if (!first || !last) return { ratio: Number.NaN, kept: Number.NaN };
    const grown = last.counts[table] - first.counts[table];
    // Rows written between the two checkpoints: what is there now, less what was there, plus what prune took.
    const written = grown + last.deleted[table] - first.deleted[table];
    return { ratio: first.counts[table] > 0 ? last.counts[table] / first.counts[table] : Number.NaN, kept: written > 0 ? grown / written : Number.NaN };
  });
  // Rate-limit rows are bounded by the addresses in use, not by this run's pruning (see the note).
  const worst = Math.max(...flatness.filter((_, i) => TABLES[i] !== "rate_limits").map((f) => f.kept).filter(Number.isFinite));
  const cell = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : "–");
  return {
    title: "7. Bounded tables under load",
    method:
      `${REFRESH_CLIENTS} clients refreshing in a closed loop (signing in again when their session ends) and ${LOGIN_CLIENTS} ` +
      `signing in over and over, for ${seconds} s, against one instance on PostgreSQL whose sessions end ${sessionSeconds} s ` +
      `after sign-in (REFRESH_ABSOLUTE_TTL_SECONDS) and whose retention windows are a second (ended sessions and their ` +
      `tokens) and ${eventSeconds} s (security events); GET /api/cron/prune every ${pruneSeconds} s. Row counts every ` +
      `${checkpointSeconds} s; after ${warmUp} s of warm-up each table should stay flat: the rows written from then on ` +
      "are deleted about as fast, where without pruning every one of them would still be there.",
    tables: [
      {
        headers: [
          "table",
          ...checkpoints.map((c) => `${c.atSeconds.toFixed(0)} s`),
          "last ÷ first after warm-up",
          "growth ÷ rows written after warm-up",
          "deleted by prune (whole run)",
        ],
        rows: TABLES.map((table, i) => [
          table,
          ...checkpoints.map((c) => String(c.counts[table])),
          cell(flatness[i]!.ratio, 2),
          cell(flatness[i]!.kept, 2),
          String(deleted[table]),
        ]),
      },
    ],
    targets: [
      {
        what: "of the rows written after warm-up, the share still held at the end (largest table but rate_limits; 1 without pruning)",
        goal: "≤ 0.25",
        measured: `${cell(worst, 2)} (largest)`,
        met: steady.length >= 2 && worst <= 0.25,
      },
    ],
    notes: [
      `${tally.refreshes} refreshes, ${tally.logins} sign-ins, ${tally.prunes} prune runs` +
        (tally.unfinishedPrunes > 0 ? ` (${tally.unfinishedPrunes} stopped at their time budget)` : "") +
        `; ${tally.failures} requests failed.`,
      "Rate-limit rows are bounded by the client addresses in use here (256 refreshing, 8 signing in, each pool taken in turn): their windows (10 minutes to a " +
        "day) outlast the run, and a window still counting is never pruned. `tests/integration/retention.test.ts` checks " +
        "that expired ones go. No mail is sent (no provider), and waiting mail is never pruned: the new-device notice is off.",
      "A live session keeps every refresh token it was given (reuse detection): refresh_tokens is bounded here because " +
        "sessions end after a few seconds; in production it is bounded by the absolute lifetime (30 days).",
    ],
  };
}

async function countRows(sql: postgres.Sql): Promise<Record<TableName, number>> {
  const counts = {} as Record<TableName, number>;
  for (const table of TABLES) {
    const [row] = await sql`select count(*)::int as n from ${sql(table)}`;
    counts[table] = (row?.n as number | undefined) ?? 0;
  }
  return counts;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
