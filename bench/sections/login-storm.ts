import { startReader } from "../lib/closed-loop";
import { send, type Cookies } from "../lib/http";
import { fmt, type SectionResult } from "../lib/markdown";
import type { BenchOptions } from "../lib/options";
import { logIn, type Account } from "../lib/session";
import { percentile, ratioSpread, rotated, spread } from "../lib/stats";

// Section 5: bcrypt (cost 12) under a burst of sign-ins. Hashing runs in worker
// threads (docs/decisions/0011), so other requests should barely notice, and
// logins per second should grow with the threads.

export const STORM_CLIENTS = 20;
/**
 * What the instances the storm hits run with: a hashing queue that holds the
 * whole storm. Its default bound (docs/decisions/0018) would answer part of
 * it 503 at once; this section measures throughput and latency, not refusals.
 */
export const STORM_INSTANCE_ENV = { PASSWORD_HASH_QUEUE: String(STORM_CLIENTS), REQUIRE_EMAIL_VERIFICATION: "false" };
/**
 * The reader asks 100 times a second: busy for one user, and light enough
 * that the reader itself does not take the cores the storm is measured on (a
 * back-to-back loop kept the request thread and this process busy enough to
 * halve the hashing threads' share of two cores).
 */
const READ_INTERVAL_MS = 10;

/**
 * `accounts`: one per storm client. A storm is many people signing in; twenty
 * at once on one account is a guessing burst, which the per-account throttle
 * refuses before bcrypt (lib/auth/limits/login-throttle.ts), so half would be 429s.
 */
export type StormTarget = { label: string; origin: string; threads: number; reader: Cookies; accounts: Account[] };

/** "alone": the storm with no reader, so that the hashing threads have the machine to scale on. */
type Phase = { kind: "baseline" | "storm" | "alone"; target: StormTarget };
type PhaseResult = { loginsPerSecond: number | null; reads: number[]; failedLogins: number; failedReads: number };

function reader(target: StormTarget) {
  return startReader(async () => {
    const reply = await send(target.origin, "/api/me", { cookies: target.reader });
    return { ms: reply.ms, ok: reply.status === 200 };
  }, READ_INTERVAL_MS);
}

async function runPhase(phase: Phase, options: BenchOptions): Promise<PhaseResult> {
  const reads = phase.kind === "alone" ? null : reader(phase.target);
  if (phase.kind === "baseline") {
    await new Promise((resolve) => setTimeout(resolve, options.baselineSeconds * 1000));
    const { latencies, failed } = await reads!.stop();
    return { loginsPerSecond: null, reads: latencies, failedLogins: 0, failedReads: failed };
  }
  let failedLogins = 0;
  const started = performance.now();
  await Promise.all(
    phase.target.accounts.map(async (account) => {
      for (let i = 0; i < options.loginsPerStormClient; i++) {
        await logIn(phase.target.origin, account).catch(() => (failedLogins += 1));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const { latencies, failed } = reads ? await reads.stop() : { latencies: [], failed: 0 };
  const logins = STORM_CLIENTS * options.loginsPerStormClient - failedLogins;
  return { loginsPerSecond: logins / seconds, reads: latencies, failedLogins, failedReads: failed };
}

export async function benchLoginStorm(options: BenchOptions, pooled: StormTarget, single: StormTarget): Promise<SectionResult> {
  const phases: Phase[] = [
    { kind: "baseline", target: pooled },
    { kind: "storm", target: pooled },
    { kind: "storm", target: single },
    { kind: "alone", target: pooled },
    { kind: "alone", target: single },
  ];
  // Warm both instances first (JIT, the bcrypt threads, the reader's first requests): round 1 must not pay for it.
  await Promise.all([pooled, single].map((target) => logIn(target.origin)));
  await runPhase({ kind: "baseline", target: pooled }, { ...options, baselineSeconds: 1 });
  const results = new Map<Phase, PhaseResult[]>(phases.map((p) => [p, []]));
  for (let round = 0; round < options.stormRounds; round++) {
    for (const phase of rotated(phases, round)) results.get(phase)!.push(await runPhase(phase, options));
  }
  const [baseline, storm, stormSingle, alone, aloneSingle] = phases.map((p) => results.get(p)!) as [
    PhaseResult[],
    PhaseResult[],
    PhaseResult[],
    PhaseResult[],
    PhaseResult[],
  ];
  const p99 = (runs: PhaseResult[]) => runs.map((r) => percentile(r.reads, 99));
  const logins = (runs: PhaseResult[]) => runs.map((r) => r.loginsPerSecond ?? Number.NaN);
  const readSlowdown = ratioSpread(p99(storm), p99(baseline));
  const scaling = ratioSpread(logins(alone), logins(aloneSingle));
  const scalingWithReader = ratioSpread(logins(storm), logins(stormSingle));
  // One core, one thread: there is nothing to scale to.
  const canScale = pooled.threads > 1;
  const failures = [...results.values()].flat().reduce((sum, r) => sum + r.failedLogins + r.failedReads, 0);

  const label = (phase: Phase) =>
    ({ baseline: "no storm", storm: "storm", alone: "storm, no reader" })[phase.kind] + `, ${phase.target.label}`;
  return {
    title: "5. Login storm",
    method:
      `${STORM_CLIENTS} clients signing in at once, each to its own account (bcrypt cost 12), ${options.loginsPerStormClient} sign-in(s) each per ` +
      `round, each from its own address, while one more client reads GET /api/me (signed in) every ${READ_INTERVAL_MS} ms; ` +
      `the same reader alone for ${options.baselineSeconds} s gives the baseline. Two instances, PGlite: ` +
      `PASSWORD_HASH_THREADS unset (${pooled.threads} threads here) and PASSWORD_HASH_THREADS=1. The same storm without ` +
      `the reader measures how logins/s scale with threads. ${options.stormRounds} round(s), rotated.`,
    tables: [
      {
        headers: ["phase", "logins/s", "/api/me reads", "/api/me p50 ms", "/api/me p99 ms"],
        rows: phases.map((phase) => {
          const own = results.get(phase)!;
          return [
            label(phase),
            phase.kind === "baseline" ? "–" : fmt(spread(logins(own)), 2),
            ...(phase.kind === "alone"
              ? ["–", "–", "–"]
              : [fmt(spread(own.map((r) => r.reads.length))), fmt(spread(own.map((r) => percentile(r.reads, 50))), 1), fmt(spread(p99(own)), 1)]),
          ];
        }),
      },
    ],
    targets: [
      {
        what: `/api/me p99 during the storm vs without (${pooled.threads} threads)`,
        goal: "≤ 2x",
        measured: fmt(readSlowdown, 2, "x"),
        met: readSlowdown.median <= 2,
      },
      ...(canScale
        ? [{ what: `logins/s with ${pooled.threads} threads vs 1 (storm, no reader)`, goal: "≥ 1.7x", measured: fmt(scaling, 2, "x"), met: scaling.median >= 1.7 }]
        : []),
    ],
    notes: [
      "On Linux the hashing threads run at nice 10 (docs/decisions/0011): the request thread wins a contended core, " +
        "and hashing takes every idle cycle. Where other busy processes share the machine, they win over hashing too, " +
        "which lowers logins/s and their scaling, not request latency.",
      ...(canScale
        ? [
            `With the reader running, ${pooled.threads} threads give ${fmt(scalingWithReader, 2, "x")} one thread's logins/s: ` +
              "the reader's requests take part of a core on a machine with no core to spare.",
          ]
        : []),
      ...(failures > 0 ? [`**${failures} sign-ins or reads failed.**`] : []),
    ],
  };
}
