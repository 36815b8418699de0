import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { oneTimeTokens } from "@/db/schema";
import { hashToken } from "@/lib/auth/sessions/refresh-token";
import { addSeconds } from "@/lib/auth/sessions/session";

export type OneTimePurpose = "verify_email" | "reset_password";

export const ONE_TIME_TOKEN_TTL_SECONDS: Record<OneTimePurpose, number> = {
  verify_email: 24 * 60 * 60,
  reset_password: 30 * 60,
};

/** 256 random bits, stored hashed and bound to one user and one purpose. */
export async function createOneTimeToken(
  db: Executor,
  input: { userId: string; purpose: OneTimePurpose; now: Date },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const id = crypto.randomUUID();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = addSeconds(input.now, ONE_TIME_TOKEN_TTL_SECONDS[input.purpose]);
  await db.insert(oneTimeTokens).values({
    id,
    userId: input.userId,
    purpose: input.purpose,
    tokenHash: hashToken(token),
    createdAt: input.now,
    expiresAt,
  });
  return { id, token, expiresAt };
}

/** A newer link voids the older ones: only the last one sent can be used. */
export async function voidOneTimeTokens(db: Executor, input: { userId: string; purpose: OneTimePurpose; now: Date }): Promise<void> {
  await db
    .update(oneTimeTokens)
    .set({ usedAt: input.now })
    .where(and(eq(oneTimeTokens.userId, input.userId), eq(oneTimeTokens.purpose, input.purpose), isNull(oneTimeTokens.usedAt)));
}

/** SECURITY.md: a link's lifetime starts when it is sent, not when it was queued. */
export async function restartOneTimeTokenLifetime(db: Executor, input: { id: string; sentAt: Date }): Promise<void> {
  const [row] = await db.select({ purpose: oneTimeTokens.purpose }).from(oneTimeTokens).where(eq(oneTimeTokens.id, input.id));
  if (!row) return;
  await db
    .update(oneTimeTokens)
    .set({ expiresAt: addSeconds(input.sentAt, ONE_TIME_TOKEN_TTL_SECONDS[row.purpose]) })
    .where(and(eq(oneTimeTokens.id, input.id), isNull(oneTimeTokens.usedAt)));
}

type TokenUse = { token: string; purpose: OneTimePurpose; now: Date };

/** Unused, unexpired, for this purpose. */
function usable(input: TokenUse) {
  return and(
    eq(oneTimeTokens.tokenHash, hashToken(input.token)),
    eq(oneTimeTokens.purpose, input.purpose),
    isNull(oneTimeTokens.usedAt),
    gt(oneTimeTokens.expiresAt, input.now),
  );
}

/**
 * Whose token this is, if it could be used now; it stays unused. Lets a caller
 * refuse a made-up token before doing expensive work (a password hash) for it,
 * and a page name the address a link confirms on GET (mail scanners follow
 * links, so a GET never spends one); only consumeOneTimeToken decides who gets to use it.
 */
export async function findUsableOneTimeToken(db: Executor, input: TokenUse): Promise<string | null> {
  const [row] = await db.select({ userId: oneTimeTokens.userId }).from(oneTimeTokens).where(usable(input));
  return row?.userId ?? null;
}

/** One conditional UPDATE: of two concurrent uses, exactly one gets the user id. */
export async function consumeOneTimeToken(db: Executor, input: TokenUse): Promise<string | null> {
  const [row] = await db.update(oneTimeTokens).set({ usedAt: input.now }).where(usable(input)).returning({ userId: oneTimeTokens.userId });
  return row?.userId ?? null;
}
