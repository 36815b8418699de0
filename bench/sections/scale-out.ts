import type { AppProcess } from "../../scripts/lib/app-process";
import { cpuCell, fmt, type SectionResult } from "../lib/markdown";
import type { BenchOptions } from "../lib/options";
import { refreshLoad, type RefreshClient, type RefreshRun } from "../lib/refresh-load";
import { ratioSpread, rotated, spread } from "../lib/stats";

// Section 6: does a second instance on the same PostgreSQL add throughput?
// Only if the bottleneck is the Node process, not the database's row locks.

export async function benchScaleOut(
  options: BenchOptions,
  apps: [AppProcess, AppProcess],
  clients: RefreshClient[],
): Promise<SectionResult> {
  // The section 3 levels with some concurrency to spread: one client cannot use two instances.
  const levels = options.refreshLevels.filter((level) => level >= 10);
  const setups = levels.flatMap((level) => [
    { level, instances: 1 },
    { level, instances: 2 },
  ]);
  // The second instance has served nothing yet: warm it (JIT, connections) so round 1 does not pay for it.
  await refreshLoad(apps, clients.slice(0, 10), 1);
  const results = new Map<(typeof setups)[number], RefreshRun[]>(setups.map((s) => [s, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const setup of rotated(setups, round)) {
      const run = await refreshLoad(apps.slice(0, setup.instances), clients.slice(0, setup.level), options.refreshSeconds);
      results.get(setup)!.push(run);
    }
  }
  const rps = (level: number, instances: number) =>
    results.get(setups.find((s) => s.level === level && s.instances === instances)!)!.map((r) => r.perSecond);
  return {
    title: "6. Scale-out: two instances on one PostgreSQL",
    method:
      "The refresh load of section 3 against one `node server.mjs` instance, then spread over two (client i talks to " +
      `instance i mod 2, as a load balancer would spread browsers), on the same database, interleaved; ` +
      `${options.refreshSeconds} s per run, ${options.rounds} rounds.`,
    tables: [
      {
        headers: ["clients", "instances", "refreshes/s", "p50 ms", "p99 ms", "x one instance", "app CPU ms per refresh"],
        rows: setups.map((setup) => {
          const own = results.get(setup)!;
          return [
            String(setup.level),
            String(setup.instances),
            fmt(spread(own.map((r) => r.perSecond))),
            fmt(spread(own.map((r) => r.p50)), 1),
            fmt(spread(own.map((r) => r.p99)), 1),
            fmt(ratioSpread(own.map((r) => r.perSecond), rps(setup.level, 1)), 2),
            cpuCell(own.map((r) => r.serverCpuMs)),
          ];
        }),
      },
    ],
    targets: [],
    notes: [
      "Both instances, PostgreSQL and the load generator share this machine's cores: a second instance can only " +
        "help as far as a core is idle. On separate machines the ratio is bounded by the database instead.",
    ],
  };
}
