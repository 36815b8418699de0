import { expect } from "vitest";
import { bcryptWorkers } from "@/lib/auth/passwords/password-pool";
import { resetEnvCache } from "@/lib/env";

// A password-hashing pool a test can fill by itself (docs/decisions/0018).

/**
 * One hashing thread with room for two waiting: three jobs fill the pool.
 * Call it at the top of a test file, before anything hashes (the pool is made on first use).
 */
export function useSmallHashingPool(): void {
  process.env.PASSWORD_HASH_THREADS = "1";
  process.env.PASSWORD_HASH_QUEUE = "2";
  resetEnvCache();
}

/**
 * Holds the one thread with a slow hash (cost 14: seconds) and queues two
 * quick ones behind it: the queue stays full until the slow one ends.
 * Resolves once all three are done, i.e. the queue has drained.
 */
export function fillHashingQueue(): Promise<unknown> {
  const workers = bcryptWorkers();
  const jobs = [workers.hash("filler", 14), workers.hash("filler", 4), workers.hash("filler", 4)];
  expect(workers.pool.stats()).toEqual({ threads: 1, busy: 1, queued: 2 });
  return Promise.all(jobs);
}

/** Still the three fillers and nothing else: every request since was answered without joining the queue. */
export function expectQueueStillFull(): void {
  expect(bcryptWorkers().pool.stats()).toEqual({ threads: 1, busy: 1, queued: 2 });
}
