import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

// CPU time an app instance spent (all its threads), read from /proc: it tells
// whether a figure is limited by the server's work or by waiting (locks, the
// database, the load generator). Linux only; elsewhere the column shows "–".

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU milliseconds of a process so far, or null where /proc is missing. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start at state; utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
  } catch {
    return null;
  }
}

function totalCpuMs(pids: readonly number[]): number | null {
  let total = 0;
  for (const pid of pids) {
    const ms = processCpuMs(pid);
    if (ms === null) return null;
    total += ms;
  }
  return total;
}

export type CpuSpent = { serverMs: number | null; loadGeneratorMs: number };

/** CPU milliseconds the given app processes, and this load-generating process, spend while `work` runs. */
export async function measureCpu<T>(pids: readonly number[], work: () => Promise<T>): Promise<{ result: T; cpu: CpuSpent }> {
  const before = totalCpuMs(pids);
  const ownBefore = process.cpuUsage();
  const result = await work();
  const own = process.cpuUsage(ownBefore);
  const after = totalCpuMs(pids);
  return {
    result,
    cpu: { serverMs: before === null || after === null ? null : after - before, loadGeneratorMs: (own.user + own.system) / 1000 },
  };
}
