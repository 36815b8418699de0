import { createHash } from "node:crypto";
import bcrypt from "bcryptjs";
import { bcryptWorkers } from "@/lib/auth/password-pool";
import { offTheClock } from "@/lib/deadline";

// bcrypt reads only the first 72 bytes of its input. Hashing the NFKC password
// with SHA-384 first (base64: 64 bytes) makes every character count, so two
// long passphrases sharing a 72-byte prefix never both verify.
export const BCRYPT_COST = 12;

function preHash(password: string): string {
  return createHash("sha384").update(password.normalize("NFKC"), "utf8").digest("base64");
}

/**
 * bcrypt itself runs in a worker thread (lib/auth/password-pool.ts). Queueing
 * for one is not waiting on the database, so no database deadline counts it.
 */
export async function hashPassword(password: string): Promise<string> {
  return offTheClock(() => bcryptWorkers().hash(preHash(password), BCRYPT_COST));
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return offTheClock(() => bcryptWorkers().compare(preHash(password), hash));
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
