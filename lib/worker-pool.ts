import { Worker } from "node:worker_threads";

// A small pool of worker threads for CPU-bound work that must not stall the
// event loop (bcrypt: about 300 ms per hash at cost 12, docs/decisions/0011).
//
// Workers run an inline CommonJS script (`eval: true`), not a file: Next
// bundles server code, and a worker file beside this module would not be
// where `new URL("./x.js", import.meta.url)` points once Turbopack has moved
// it (vercel/next.js#93427 broke exactly that between 16.1 and 16.3). An
// inline script needs no bundler support and runs the same under `next
// start`, Vitest and tsx.

export type WorkerPoolOptions = {
  /** Shown in errors and as the thread name in profiles. */
  name: string;
  /**
   * The body of a CommonJS function that returns the job handler. It runs once
   * per worker with `require` and `workerData` in scope, so it may set things
   * up first; the handler takes one job and returns (or resolves to) its result.
   */
  handlerSource: string;
  /** Most threads alive at once (at least 1). */
  size: number;
  /**
   * Most jobs waiting for a thread. A job that would wait behind that many is
   * refused at once (WorkerPoolFullError): an unbounded queue lets a burst of
   * callers hold everyone after them for as long as the burst lasts. Unset
   * means no bound.
   */
  maxQueued?: number;
  /** Structured-cloned into each worker. */
  workerData?: unknown;
};

export type WorkerPoolStats = { threads: number; busy: number; queued: number };

export type WorkerPool<Job, Result> = {
  run(job: Job): Promise<Result>;
  stats(): WorkerPoolStats;
  /** Stops every thread; queued and running jobs reject. */
  close(): Promise<void>;
};

export class WorkerPoolError extends Error {
  override name = "WorkerPoolError";
}

/** Every thread is busy and `maxQueued` jobs are already waiting: the job was not queued. */
export class WorkerPoolFullError extends WorkerPoolError {
  override name = "WorkerPoolFullError";
}

type Task = { job: unknown; resolve: (value: never) => void; reject: (error: Error) => void };
type Slot = { worker: Worker; task: Task | null; failure: Error | null };
type Reply = { ok: true; value: unknown } | { ok: false; message: string };

// One job at a time per worker, so a reply always belongs to that worker's task.
const workerScript = (handlerSource: string) => `"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const handle = (function (require, workerData) {
${handlerSource}
})(require, workerData);
parentPort.on("message", async (job) => {
  let reply;
  try {
    reply = { ok: true, value: await handle(job) };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort.postMessage(reply);
});
`;

export function createWorkerPool<Job, Result>(options: WorkerPoolOptions): WorkerPool<Job, Result> {
  const size = Math.max(1, Math.floor(options.size));
  const maxQueued = Math.max(0, Math.floor(options.maxQueued ?? Number.POSITIVE_INFINITY));
  const script = workerScript(options.handlerSource);
  const slots = new Set<Slot>();
  const queue: Task[] = [];
  let closed = false;

  function spawn(): Slot {
    const worker = new Worker(script, { eval: true, workerData: options.workerData, name: options.name });
    const slot: Slot = { worker, task: null, failure: null };
    // Idle threads must not keep a CLI script or a test process alive.
    worker.unref();
    worker.on("message", (reply: Reply) => finish(slot, reply));
    worker.on("error", (error) => (slot.failure = error));
    // A crash (uncaught error, out of memory, process.exit in the script) costs
    // the job that was running, never the queue: a new thread takes over.
    worker.on("exit", (code) => {
      slots.delete(slot);
      const task = slot.task;
      slot.task = null;
      if (task) {
        const cause = slot.failure?.message ?? `exit code ${code}`;
        task.reject(new WorkerPoolError(`${options.name} worker stopped during a job: ${cause}`));
      }
      dispatch();
    });
    slots.add(slot);
    return slot;
  }

  function finish(slot: Slot, reply: Reply): void {
    const task = slot.task;
    slot.task = null;
    slot.worker.unref();
    if (task) {
      if (reply.ok) task.resolve(reply.value as never);
      else task.reject(new WorkerPoolError(`${options.name}: ${reply.message}`));
    }
    dispatch();
  }

  const idleSlot = (): Slot | undefined => [...slots].find((candidate) => candidate.task === null);

  function dispatch(): void {
    while (!closed && queue.length > 0) {
      const slot = idleSlot() ?? (slots.size < size ? spawn() : null);
      if (!slot) return;
      const task = queue.shift()!;
      slot.task = task;
      // A running job keeps the process alive until its answer arrives.
      slot.worker.ref();
      slot.worker.postMessage(task.job);
    }
  }

  return {
    run(job: Job): Promise<Result> {
      if (closed) return Promise.reject(new WorkerPoolError(`${options.name} pool is closed`));
      // dispatch() leaves jobs queued only while no thread can take one.
      const mustWait = queue.length > 0 || (!idleSlot() && slots.size >= size);
      if (mustWait && queue.length >= maxQueued) {
        return Promise.reject(new WorkerPoolFullError(`${options.name}: ${queue.length} jobs already waiting`));
      }
      return new Promise<Result>((resolve, reject) => {
        queue.push({ job, resolve: resolve as (value: never) => void, reject });
        dispatch();
      });
    },
    stats(): WorkerPoolStats {
      const busy = [...slots].filter((slot) => slot.task !== null).length;
      return { threads: slots.size, busy, queued: queue.length };
    },
    async close(): Promise<void> {
      closed = true;
      for (const task of queue.splice(0)) task.reject(new WorkerPoolError(`${options.name} pool is closed`));
      await Promise.all([...slots].map((slot) => slot.worker.terminate()));
    },
  };
}
