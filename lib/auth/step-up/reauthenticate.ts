import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { guessPassword } from "@/lib/auth/limits/login-throttle";
import { markAuthenticated, recentAuthenticationEndsAt } from "@/lib/auth/step-up/recent-authentication";
import { hasSecondFactor, signInMethods } from "@/lib/auth/step-up/sign-in-methods";
import type { ClientMeta } from "@/lib/http/client-meta";

// Step-up: the person in a live session proves who they are again, and the
// session may make sensitive changes for the next ten minutes. An account
// with a second factor steps up with it: its password alone is what a thief
// who phished it would have, and would otherwise let them add their own
// passkey or turn the authenticator off (docs/decisions/0036).

export type StepUpProof = { method: "password"; password: string; deviceCookie?: string };

export async function reauthenticate(input: {
  userId: string;
  sessionId: string;
  proof: StepUpProof;
  meta: ClientMeta;
  now?: Date;
}): Promise<{ authenticatedUntil: Date }> {
  const now = input.now ?? new Date();
  const db = await getDb();
  const [user] = await db.select({ emailCanonical: users.emailCanonical, passwordHash: users.passwordHash }).from(users).where(eq(users.id, input.userId));
  if (!user) throw new AppError("invalidSession");
  if (hasSecondFactor(await signInMethods(db, input.userId))) throw new AppError("stepUpNeedsSecondFactor");
  const { valid } = await guessPassword(db, {
    canonicalEmail: user.emailCanonical,
    deviceCookie: input.proof.deviceCookie,
    password: input.proof.password,
    hash: user.passwordHash,
    now,
  });
  if (!valid) throw new AppError("wrongCurrentPassword", { fields: { password: "The password is incorrect." } });
  await db.transaction(async (tx) => {
    await markAuthenticated(tx, { sessionId: input.sessionId, twoFactor: false, now });
    await recordSecurityEvent(tx, { type: "reauthenticated", userId: input.userId, sessionId: input.sessionId, meta: input.meta, detail: { method: "password" }, now });
  });
  return { authenticatedUntil: recentAuthenticationEndsAt({ authenticatedAt: now }) };
}
