import { and, eq, isNotNull, lt, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { totpFactors } from "@/db/schema";
import { sealIron, unsealIron } from "@/lib/auth/iron-seal";
import { matchTotpStep, timeStep } from "@/lib/auth/second-factor/totp";
import { authSecret } from "@/lib/env";
import { logEvent } from "@/lib/log";

// A TOTP secret is stored sealed with AUTH_SECRET (encrypted and
// authenticated): a copy of the database alone does not give away anyone's
// codes. The seal's own expiry is set past any factor's life.

const SEAL_TTL_SECONDS = 100 * 365 * 24 * 60 * 60;
const PURPOSE = "totp-secret";

export function sealTotpSecret(secret: Buffer, now: Date): string {
  return sealIron({ purpose: PURPOSE, secret: secret.toString("base64url") }, authSecret(), SEAL_TTL_SECONDS, now.getTime());
}

/**
 * The secret, or null when it does not unseal: only a changed AUTH_SECRET
 * does that. Then no authenticator code matches, but recovery codes still
 * sign in, so the owner can turn the authenticator off and on again.
 */
export function unsealTotpSecret(sealed: string, now: Date): Buffer | null {
  const opened = unsealIron(sealed, authSecret(), now.getTime()) as { purpose?: unknown; secret?: unknown } | undefined;
  if (opened?.purpose !== PURPOSE || typeof opened.secret !== "string") {
    logEvent("warn", "totp.secret_unreadable", { reason: "the secret does not unseal with AUTH_SECRET" });
    return null;
  }
  return Buffer.from(opened.secret, "base64url");
}

/** Whether signing in to this account takes a second factor. */
export async function hasConfirmedTotp(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db.select({ userId: totpFactors.userId }).from(totpFactors).where(and(eq(totpFactors.userId, userId), isNotNull(totpFactors.confirmedAt)));
  return Boolean(row);
}

/**
 * RFC 6238 §5.2: the codes of the previous, current and next step are taken,
 * for clocks and typing that lag. A code is taken once: the accepted step
 * becomes last_used_step in one conditional UPDATE, so the same code sent
 * twice, even at the same instant, succeeds once, and no code of that step or
 * an earlier one is taken afterwards. `confirmed`: a sign-in or step-up wants
 * a confirmed factor; enrolment wants the one being set up.
 */
export async function acceptTotpCode(
  db: Executor,
  input: { userId: string; code: string; now: Date; confirmed: boolean; confirmAt?: Date },
): Promise<boolean> {
  if (!/^\d{6}$/.test(input.code)) return false;
  const [factor] = await db
    .select({ secretSealed: totpFactors.secretSealed })
    .from(totpFactors)
    .where(and(eq(totpFactors.userId, input.userId), confirmedIs(input.confirmed)));
  if (!factor) return false;
  const secret = unsealTotpSecret(factor.secretSealed, input.now);
  if (!secret) return false;
  const current = timeStep(input.now);
  const step = matchTotpStep(secret, input.code, [current - 1, current, current + 1]);
  if (step === null) return false;
  const taken = await db
    .update(totpFactors)
    .set({ lastUsedStep: step, ...(input.confirmAt ? { confirmedAt: input.confirmAt } : {}) })
    .where(and(eq(totpFactors.userId, input.userId), confirmedIs(input.confirmed), lt(totpFactors.lastUsedStep, step)))
    .returning({ userId: totpFactors.userId });
  return taken.length === 1;
}

function confirmedIs(confirmed: boolean) {
  return confirmed ? isNotNull(totpFactors.confirmedAt) : sql`${totpFactors.confirmedAt} is null`;
}
