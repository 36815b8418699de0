import { createHash } from "node:crypto";
import bcrypt from "bcryptjs";
import { bcryptWorkers, type BcryptWorkers } from "@/lib/auth/passwords/password-pool";
import { offTheClock } from "@/lib/deadline";
import { AppError } from "@/lib/errors";
import { logEvent } from "@/lib/log";
import { WorkerPoolFullError } from "@/lib/worker-pool";

// bcrypt reads only the first 72 bytes of its input. Hashing the NFKC password
// with SHA-384 first (base64: 64 bytes) makes every character count, so two
// long passphrases sharing a 72-byte prefix never both verify.
export const BCRYPT_COST = 12;

function preHash(password: string): string {
  return createHash("sha384").update(password.normalize("NFKC"), "utf8").digest("base64");
}

/**
 * bcrypt itself runs in a worker thread (lib/auth/passwords/password-pool.ts). Queueing
 * for one is not waiting on the database, so no database deadline counts it;
 * the queue's bound is what keeps that wait short: past it the caller gets 503
 * `temporarily_unavailable` with Retry-After at once (docs/decisions/0018).
 */
async function runBcrypt<T>(job: (workers: BcryptWorkers) => Promise<T>): Promise<T> {
  const workers = bcryptWorkers();
  try {
    return await offTheClock(() => job(workers));
  } catch (error) {
    if (!(error instanceof WorkerPoolFullError)) throw error;
    logEvent("warn", "password_hashing_busy", workers.pool.stats());
    throw new AppError("unavailable", { retryAfterSeconds: workers.retryAfterSeconds });
  }
}

export async function hashPassword(password: string): Promise<string> {
  return runBcrypt((workers) => workers.hash(preHash(password), BCRYPT_COST));
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return runBcrypt((workers) => workers.compare(preHash(password), hash));
}

export function needsRehash(hash: string): boolean {
  return bcrypt.getRounds(hash) < BCRYPT_COST;
}

let dummyHash: Promise<string> | undefined;

/** Unknown emails are checked against this, so they take as long as a wrong password. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  // A failed attempt (a crashed worker) is not remembered: the next login tries again.
  dummyHash ??= hashPassword("doorman-timing-equaliser").catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  await verifyPassword(password, await dummyHash);
  return false;
}
