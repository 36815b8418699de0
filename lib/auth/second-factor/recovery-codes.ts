import { createHash, randomBytes } from "node:crypto";
import { and, count, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { recoveryCodes } from "@/db/schema";
import { encodeBase32 } from "@/lib/auth/second-factor/totp";

// Recovery codes: ten single-use codes for when the authenticator is lost.
// Each is 80 random bits (16 base32 characters, shown in groups of four), far
// beyond guessing within the second-factor throttle, so a plain SHA-256 is
// enough to keep them from a database reader (no salt or slow hash needed for
// secrets that are not chosen by people).

const RECOVERY_CODE_COUNT = 10;
const RECOVERY_CODE_BYTES = 10;
const RECOVERY_CODE = /^[A-Z2-7]{16}$/;

/** xxxx-xxxx-xxxx-xxxx, lower case. */
function formatRecoveryCode(raw: string): string {
  return raw.toLowerCase().match(/.{4}/g)!.join("-");
}

/** What a person typed, as stored: any case, with or without dashes and spaces; null if it cannot be a recovery code. */
export function normaliseRecoveryCode(typed: string): string | null {
  const clean = typed.replace(/[\s-]/g, "").toUpperCase();
  return RECOVERY_CODE.test(clean) ? clean : null;
}

export function hashRecoveryCode(normalised: string): string {
  return createHash("sha256").update(normalised).digest("hex");
}

/** Ten new codes replace every earlier one; the codes themselves are returned once, to show. */
export async function replaceRecoveryCodes(tx: Executor, userId: string, now: Date): Promise<string[]> {
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => encodeBase32(randomBytes(RECOVERY_CODE_BYTES)));
  await tx.insert(recoveryCodes).values(codes.map((code) => ({ id: crypto.randomUUID(), userId, codeHash: hashRecoveryCode(code), createdAt: now })));
  return codes.map(formatRecoveryCode);
}

/** Uses up one code in one conditional UPDATE: of two concurrent uses, one wins. True when this one did. */
export async function consumeRecoveryCode(tx: Executor, input: { userId: string; code: string; now: Date }): Promise<boolean> {
  const normalised = normaliseRecoveryCode(input.code);
  if (!normalised) return false;
  const used = await tx
    .update(recoveryCodes)
    .set({ usedAt: input.now })
    .where(and(eq(recoveryCodes.userId, input.userId), eq(recoveryCodes.codeHash, hashRecoveryCode(normalised)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return used.length === 1;
}

export async function countRemainingRecoveryCodes(db: Executor, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return row?.n ?? 0;
}
