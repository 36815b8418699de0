import { afterEach, describe, expect, it } from "vitest";
import bcrypt from "bcryptjs";
import { createBcryptWorkers, passwordHashQueue, passwordHashThreads, type BcryptWorkers } from "@/lib/auth/passwords/password-pool";
import { resetEnvCache } from "@/lib/env";
import { WorkerPoolFullError } from "@/lib/worker-pool";

let opened: BcryptWorkers[] = [];

function workers(size: number): BcryptWorkers {
  const created = createBcryptWorkers(size);
  opened.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(opened.map((w) => w.pool.close()));
  opened = [];
  delete process.env.PASSWORD_HASH_THREADS;
  delete process.env.PASSWORD_HASH_QUEUE;
  resetEnvCache();
});

describe("bcrypt worker threads", { timeout: 30_000 }, () => {
  it("computes exactly what bcryptjs computes on the main thread", async () => {
    const pool = workers(2);
    const salt = bcrypt.genSaltSync(6);
    expect(await pool.hash("same input", salt)).toBe(bcrypt.hashSync("same input", salt));
    const mainThreadHash = bcrypt.hashSync("made on the main thread", 6);
    expect(await pool.compare("made on the main thread", mainThreadHash)).toBe(true);
    expect(await pool.compare("something else", mainThreadHash)).toBe(false);
    expect(bcrypt.compareSync("made in a worker", await pool.hash("made in a worker", 6))).toBe(true);
  });

  it("hashes as many passwords at once as it has threads, queueing the others", async () => {
    const pool = workers(2);
    const hashes = [1, 2, 3, 4].map((n) => pool.hash(`password ${n}`, 8));
    expect(pool.pool.stats()).toEqual({ threads: 2, busy: 2, queued: 2 });
    const done = await Promise.all(hashes);
    expect(done.every((hash, n) => bcrypt.compareSync(`password ${n + 1}`, hash))).toBe(true);
  });

  it("refuses a hash at once past its queue bound, and takes hashes again once the queue drains", async () => {
    const pool = workers(2);
    const stored = bcrypt.hashSync("x", 4);
    // The default bound: eight waiting per thread. Nothing below awaits until the refusal, so no job can finish first.
    const accepted = Array.from({ length: 2 + 16 }, (_, n) => pool.hash(`password ${n}`, 4));
    expect(pool.pool.stats()).toEqual({ threads: 2, busy: 2, queued: 16 });
    await expect(pool.compare("one too many", stored)).rejects.toThrow(WorkerPoolFullError);
    expect(pool.retryAfterSeconds).toBe(3);
    expect(await Promise.all(accepted)).toHaveLength(18);
    expect(await pool.compare("x", stored)).toBe(true);
  });

  it("answers a malformed hash as bcryptjs does: no match", async () => {
    const pool = workers(1);
    expect(bcrypt.compareSync("x", "not a bcrypt hash")).toBe(false);
    expect(await pool.compare("x", "not a bcrypt hash")).toBe(false);
  });

  it("sizes itself from PASSWORD_HASH_THREADS, else one thread per core up to 4", () => {
    process.env.PASSWORD_HASH_THREADS = "3";
    resetEnvCache();
    expect(passwordHashThreads()).toBe(3);
    delete process.env.PASSWORD_HASH_THREADS;
    resetEnvCache();
    expect(passwordHashThreads()).toBeGreaterThanOrEqual(1);
    expect(passwordHashThreads()).toBeLessThanOrEqual(4);
  });

  it("bounds its queue at PASSWORD_HASH_QUEUE, else eight hashes per thread", () => {
    expect(passwordHashQueue(3)).toBe(24);
    process.env.PASSWORD_HASH_QUEUE = "0";
    resetEnvCache();
    expect(passwordHashQueue(3)).toBe(0);
  });
});
