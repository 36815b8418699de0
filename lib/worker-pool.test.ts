import { afterEach, describe, expect, it } from "vitest";
import { createWorkerPool, WorkerPoolError, WorkerPoolFullError, type WorkerPool } from "@/lib/worker-pool";

// A test worker that can wait for company, fail or crash. `running` is shared
// memory: each job counts itself in while it runs, so a job that sees another
// one running proves two threads were busy at the same moment, whatever the
// machine's load (a timing ratio would not). A "hold" job keeps its thread
// until the test opens `gate`, so a full pool is a state, not a race.
const HANDLER = `
const running = new Int32Array(workerData.running);
const gate = new Int32Array(workerData.gate);
return async (job) => {
  if (job.kind === "hold") return Atomics.wait(gate, 0, 0, 10000) !== "timed-out";
  if (job.kind === "crash") setImmediate(() => { throw new Error("worker crashed on purpose"); });
  if (job.kind === "crash") return new Promise(() => {});
  if (job.kind === "fail") throw new Error("bad job");
  if (job.kind === "echo") return job.value;
  // "together": count in, then wait (up to \`patience\` ms) until \`want\` jobs are in at once.
  Atomics.add(running, 0, 1);
  Atomics.notify(running, 0);
  const deadline = Date.now() + job.patience;
  let seen = Atomics.load(running, 0);
  while (seen < job.want && Date.now() < deadline) {
    Atomics.wait(running, 0, seen, 50);
    seen = Math.max(seen, Atomics.load(running, 0));
  }
  const peak = Math.max(seen, Atomics.load(running, 0));
  await new Promise((resolve) => setTimeout(resolve, 20));
  Atomics.sub(running, 0, 1);
  return peak;
};
`;

type Job = { kind: "crash" | "fail" | "hold" } | { kind: "echo"; value: unknown } | { kind: "together"; want: number; patience: number };

let pools: WorkerPool<Job, unknown>[] = [];
let gate = new Int32Array(new SharedArrayBuffer(4));

function pool(size: number, maxQueued?: number): WorkerPool<Job, unknown> {
  gate = new Int32Array(new SharedArrayBuffer(4));
  const created = createWorkerPool<Job, unknown>({
    name: "test-pool",
    handlerSource: HANDLER,
    size,
    maxQueued,
    workerData: { running: new SharedArrayBuffer(4), gate: gate.buffer },
  });
  pools.push(created);
  return created;
}

function openGate(): void {
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
}

afterEach(async () => {
  await Promise.all(pools.map((p) => p.close()));
  pools = [];
});

describe("worker pool", { timeout: 20_000 }, () => {
  it("runs jobs in as many threads at once as its size, and no more", async () => {
    const two = pool(2);
    const peaks = await Promise.all([1, 2, 3, 4].map(() => two.run({ kind: "together", want: 2, patience: 5000 })));
    // Every job found a partner running beside it...
    expect(peaks.every((peak) => peak === 2)).toBe(true);
    const three = pool(2);
    // ...and with a size of two, a job waiting for a third never gets one.
    const lonely = await Promise.all([1, 2, 3].map(() => three.run({ kind: "together", want: 3, patience: 300 })));
    expect(Math.max(...(lonely as number[]))).toBe(2);
  });

  it("starts threads only when jobs arrive, and queues the rest", async () => {
    const two = pool(2);
    expect(two.stats()).toEqual({ threads: 0, busy: 0, queued: 0 });
    const jobs = [1, 2, 3, 4, 5].map((value) => two.run({ kind: "echo", value }));
    expect(two.stats()).toEqual({ threads: 2, busy: 2, queued: 3 });
    expect(await Promise.all(jobs)).toEqual([1, 2, 3, 4, 5]);
    expect(two.stats()).toMatchObject({ busy: 0, queued: 0 });
  });

  it("refuses a job at once when every thread is busy and maxQueued jobs wait, and takes jobs again as the queue drains", async () => {
    const two = pool(2, 3);
    const held = [two.run({ kind: "hold" }), two.run({ kind: "hold" })];
    const queued = [1, 2, 3].map((value) => two.run({ kind: "echo", value }));
    expect(two.stats()).toEqual({ threads: 2, busy: 2, queued: 3 });
    // Refused while the held jobs still hold both threads: it waited for none.
    await expect(two.run({ kind: "echo", value: 4 })).rejects.toThrow(WorkerPoolFullError);
    await expect(two.run({ kind: "echo", value: 4 })).rejects.toThrow(WorkerPoolError);
    expect(two.stats()).toEqual({ threads: 2, busy: 2, queued: 3 });

    openGate();
    expect(await Promise.all(held)).toEqual([true, true]);
    expect(await Promise.all(queued)).toEqual([1, 2, 3]);
    expect(await Promise.all([5, 6, 7, 8, 9].map((value) => two.run({ kind: "echo", value })))).toEqual([5, 6, 7, 8, 9]);
  });

  it("with maxQueued 0, runs what the idle threads can take and refuses the rest", async () => {
    const one = pool(1, 0);
    const held = one.run({ kind: "hold" });
    await expect(one.run({ kind: "echo", value: 1 })).rejects.toThrow(WorkerPoolFullError);
    openGate();
    expect(await held).toBe(true);
    expect(await one.run({ kind: "echo", value: 2 })).toBe(2);
  });

  it("rejects a failing job with its message and carries on", async () => {
    const one = pool(1);
    await expect(one.run({ kind: "fail" })).rejects.toThrow(/bad job/);
    expect(await one.run({ kind: "echo", value: "still here" })).toBe("still here");
  });

  it("loses only the running job when a worker crashes, then replaces the worker", async () => {
    const one = pool(1);
    const crash = one.run({ kind: "crash" });
    const queued = [1, 2, 3].map((value) => one.run({ kind: "echo", value }));
    await expect(crash).rejects.toThrow(WorkerPoolError);
    await expect(crash).rejects.toThrow(/crashed on purpose/);
    expect(await Promise.all(queued)).toEqual([1, 2, 3]);
    expect(one.stats().threads).toBe(1);
  });

  it("rejects queued jobs when closed, and refuses new ones", async () => {
    const one = pool(1);
    const running = expect(one.run({ kind: "together", want: 2, patience: 5000 })).rejects.toThrow(WorkerPoolError);
    const queued = expect(one.run({ kind: "echo", value: 1 })).rejects.toThrow(/closed/);
    await one.close();
    await Promise.all([running, queued]);
    await expect(one.run({ kind: "echo", value: 2 })).rejects.toThrow(/closed/);
  });
});
