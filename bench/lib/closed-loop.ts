import { percentile } from "./stats";

// Closed-loop load: each client sends its next request when the previous one
// has answered, for a fixed time. Throughput is what finished divided by the
// time until the last answer; latencies are per request.

export type LoopResult = { completed: number; failed: number; seconds: number; perSecond: number; p50: number; p99: number; statuses: Record<number, number> };

export async function closedLoop<C>(
  clients: readonly C[],
  durationMs: number,
  step: (client: C) => Promise<{ status: number; ms: number; ok: boolean }>,
): Promise<LoopResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let failed = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const { status, ms, ok } = await step(client);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (ok) latencies.push(ms);
        else failed += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    completed: latencies.length,
    failed,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    statuses,
  };
}

/**
 * A background reader, as a user's page polling the API: one request every
 * `intervalMs` (or right after the previous answer, when that took longer),
 * until stopped; the latencies of the successful ones.
 */
export function startReader(
  read: () => Promise<{ ms: number; ok: boolean }>,
  intervalMs: number,
): { stop: () => Promise<{ latencies: number[]; failed: number }> } {
  let running = true;
  const latencies: number[] = [];
  let failed = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const { ms, ok } = await read();
      if (ok) latencies.push(ms);
      else failed += 1;
      const wait = started + intervalMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { latencies, failed };
    },
  };
}
