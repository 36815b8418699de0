import { availableParallelism } from "node:os";
import path from "node:path";
import { env } from "@/lib/env";
import { createWorkerPool, type WorkerPool } from "@/lib/worker-pool";

// bcryptjs is pure JavaScript: a cost-12 hash holds a thread for about 300 ms,
// and its async API yields only every ~100 ms, so on the main thread a few
// concurrent logins stall every other request. Hashing runs here instead, in
// a few worker threads (docs/decisions/0011-password-hashing-threads.md).

export type BcryptJob =
  | { op: "hash"; input: string; salt: number | string }
  | { op: "compare"; input: string; hash: string };

/** Not more by default: each thread takes a core from request handling while it hashes. */
const DEFAULT_MAX_THREADS = 4;
/**
 * Hashes waiting per thread before the next is refused with 503 (docs/decisions/0018).
 * At about 300 ms a hash, the last in a full queue waits some 2.4 s for its thread.
 */
const DEFAULT_QUEUED_PER_THREAD = 8;
/** A cost-12 hash on a free core (docs/decisions/0011): what Retry-After is estimated from. */
const SECONDS_PER_HASH = 0.3;
/** Linux nice value of the hashing threads: a weight of about a tenth of the request thread's. */
const HASHING_NICENESS = 10;

// The worker is an inline script (lib/worker-pool.ts says why), so it finds
// bcryptjs through the file system: from the working directory (`next start`,
// Vitest, tsx) or beside the entry script (a standalone build's server.js).
// next.config.ts copies the whole package into a standalone build: its trace
// follows only the app's import, to the ES module build, not the CommonJS one required here.
const HANDLER_SOURCE = `
const { createRequire } = require("node:module");
const path = require("node:path");
let bcrypt;
const tried = [];
for (const base of workerData.searchPaths) {
  try {
    bcrypt = createRequire(path.join(base, "noop.js"))("bcryptjs");
    break;
  } catch (error) {
    tried.push(base);
  }
}
if (!bcrypt) throw new Error("bcryptjs not found from " + tried.join(", "));
// Requests come first: on Linux a thread has its own nice value, so this
// thread alone yields to the request thread when both want a core, and still
// uses every idle cycle (elsewhere the call would renice the whole process).
if (process.platform === "linux") {
  try {
    require("node:os").setPriority(0, workerData.niceness);
  } catch {
    // Not permitted (some sandboxes): hashing then competes as an equal.
  }
}
// Synchronous calls: this thread has nothing else to do, and the async API
// only adds its periodic yields.
return (job) => (job.op === "hash" ? bcrypt.hashSync(job.input, job.salt) : bcrypt.compareSync(job.input, job.hash));
`;

export function passwordHashThreads(): number {
  return env().PASSWORD_HASH_THREADS ?? Math.min(availableParallelism(), DEFAULT_MAX_THREADS);
}

export function passwordHashQueue(threads: number): number {
  return env().PASSWORD_HASH_QUEUE ?? threads * DEFAULT_QUEUED_PER_THREAD;
}

export type BcryptWorkers = {
  hash(input: string, salt: number | string): Promise<string>;
  compare(input: string, hash: string): Promise<boolean>;
  pool: WorkerPool<BcryptJob, string | boolean>;
  /** About how long a full queue takes to drain: the Retry-After of a refused hash. */
  retryAfterSeconds: number;
};

/** A job arriving while every thread is busy and `maxQueued` jobs wait is refused with WorkerPoolFullError. */
export function createBcryptWorkers(size: number, maxQueued = passwordHashQueue(size)): BcryptWorkers {
  const entry = process.argv[1];
  const searchPaths = [process.cwd(), ...(entry ? [path.dirname(entry)] : [])];
  const pool = createWorkerPool<BcryptJob, string | boolean>({
    name: "doorman-bcrypt",
    handlerSource: HANDLER_SOURCE,
    size,
    maxQueued,
    workerData: { searchPaths, niceness: HASHING_NICENESS },
  });
  return {
    pool,
    retryAfterSeconds: Math.max(1, Math.ceil(((maxQueued + size) / size) * SECONDS_PER_HASH)),
    hash: async (input, salt) => String(await pool.run({ op: "hash", input, salt })),
    compare: async (input, hash) => (await pool.run({ op: "compare", input, hash })) === true,
  };
}

// Kept on globalThis, like the database (db/client.ts), so that `next dev` hot
// reloads reuse the running threads instead of starting a new pool each time.
const holder = globalThis as typeof globalThis & { __doormanBcrypt?: BcryptWorkers };

/** Created on first use, never at import: `next build` loads this module in several processes. */
export function bcryptWorkers(): BcryptWorkers {
  holder.__doormanBcrypt ??= createBcryptWorkers(passwordHashThreads());
  return holder.__doormanBcrypt;
}
