import type { AppProcess } from "../../scripts/lib/app-process";
import { cpuCell, fmt, type SectionResult } from "../lib/markdown";
import type { BenchOptions } from "../lib/options";
import { refreshLoad, type RefreshClient, type RefreshRun } from "../lib/refresh-load";
import { rotated, spread } from "../lib/stats";

// Section 3: rotation under load, on each database. Every refresh takes the
// row locks of its token and session (SELECT … FOR UPDATE), writes the
// successor, counts the client address, signs a JWT and seals a cookie.

export type RefreshTarget = { label: string; app: AppProcess; clients: RefreshClient[] };

const P99_TARGET_MS = 50;
const TARGET_LEVEL = 10;

export async function benchRefresh(options: BenchOptions, targets: RefreshTarget[], skipped: string[]): Promise<SectionResult> {
  for (const target of targets) await refreshLoad([target.app], target.clients.slice(0, TARGET_LEVEL), 0.5);

  const cells = targets.flatMap((target) => options.refreshLevels.map((level) => ({ target, level })));
  const results = new Map<(typeof cells)[number], RefreshRun[]>(cells.map((cell) => [cell, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const cell of rotated(cells, round)) {
      const clients = cell.target.clients.slice(0, cell.level);
      results.get(cell)!.push(await refreshLoad([cell.target.app], clients, options.refreshSeconds));
    }
  }

  const postgres = cells.find((cell) => cell.target.label === "PostgreSQL" && cell.level === TARGET_LEVEL);
  const postgresP99 = postgres ? spread(results.get(postgres)!.map((r) => r.p99)) : null;
  const failures = cells.reduce((sum, cell) => sum + results.get(cell)!.reduce((s, r) => s + r.failed, 0), 0);
  return {
    title: "3. Refresh under load",
    method:
      `POST /api/auth/refresh in a closed loop: each client owns its own session and sends its next refresh when the ` +
      `last one answered, ${options.refreshSeconds} s per level and round, ${options.rounds} rounds with the order rotated.`,
    tables: [
      {
        headers: ["database", "clients", "refreshes/s", "p50 ms", "p99 ms", "app CPU ms per refresh", "load generator CPU ms per refresh", "failed"],
        rows: cells.map((cell) => {
          const own = results.get(cell)!;
          return [
            cell.target.label,
            String(cell.level),
            fmt(spread(own.map((r) => r.perSecond))),
            fmt(spread(own.map((r) => r.p50)), 1),
            fmt(spread(own.map((r) => r.p99)), 1),
            cpuCell(own.map((r) => r.serverCpuMs)),
            fmt(spread(own.map((r) => r.clientCpuMs)), 2),
            String(own.reduce((sum, r) => sum + r.failed, 0)),
          ];
        }),
      },
    ],
    targets: postgresP99
      ? [
          {
            what: `PostgreSQL p99 at ${TARGET_LEVEL} concurrent clients`,
            goal: `< ${P99_TARGET_MS} ms`,
            measured: fmt(postgresP99, 1, " ms"),
            met: postgresP99.median < P99_TARGET_MS,
          },
        ]
      : [],
    notes: [
      ...skipped,
      ...(failures > 0 ? [`**${failures} refreshes did not answer 200** (statuses in the run's output).`] : []),
    ],
  };
}
