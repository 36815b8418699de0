import { afterEach, describe, expect, it } from "vitest";
import bcrypt from "bcryptjs";
import { createBcryptWorkers, passwordHashThreads, type BcryptWorkers } from "@/lib/auth/password-pool";
import { resetEnvCache } from "@/lib/env";

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
});
