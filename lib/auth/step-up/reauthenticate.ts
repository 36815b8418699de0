import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { guessPassword } from "@/lib/auth/limits/login-throttle";
import { markAuthenticated, recentAuthenticationEndsAt } from "@/lib/auth/step-up/recent-authentication";
import { hasSecondFactor, signInMethods } from "@/lib/auth/step-up/sign-in-methods";
import type { ClientMeta } from "@/lib/http/client-meta";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { startPasskeyAssertion, verifyPasskeyAssertion } from "@/lib/auth/passkeys/verify-assertion";
import { enforceIpLimit } from "@/lib/auth/limits/ip-limits";
import { verifySecondFactorCode } from "@/lib/auth/second-factor/verify-second-factor";
import type { Executor } from "@/db/client";
import type { ReauthenticateInput } from "@/lib/auth/step-up/schemas";

// Step-up: the person in a live session proves who they are again, and the
// session may make sensitive changes for the next ten minutes. An account
// with a second factor steps up with it: its password alone is what a thief
// who phished it would have, and would otherwise let them add their own
// passkey or turn the authenticator off (docs/decisions/0036).

export type StepUpProof =
  | { method: "password"; password: string; deviceCookie?: string }
  /** An authenticator code or a recovery code: the same check, throttle and notices as at sign-in. */
  | { method: "code"; code: string }
  /** `challengeId`: from this browser's ceremony cookie (POST /api/auth/reauthenticate/passkey-options). */
  | { method: "passkey"; response: AuthenticationResponseJSON; challengeId: string | null };

/** The proof a validated body carries, with what the browser's cookies add to it. */
export function stepUpProof(input: ReauthenticateInput, cookies: { deviceCookie?: string; passkeyChallengeId: string | null }): StepUpProof {
  if (input.passkey) return { method: "passkey", response: input.passkey, challengeId: cookies.passkeyChallengeId };
  if (input.code !== undefined) return { method: "code", code: input.code };
  return { method: "password", password: input.password!, deviceCookie: cookies.deviceCookie };
}

export async function reauthenticate(input: {
  userId: string;
  sessionId: string;
  proof: StepUpProof;
  meta: ClientMeta;
  now?: Date;
}): Promise<{ authenticatedUntil: Date }> {
  const now = input.now ?? new Date();
  const db = await getDb();
  const { proof } = input;
  const method =
    proof.method === "password"
      ? await provePassword(db, input.userId, proof, now)
      : proof.method === "code"
        ? (await verifySecondFactorCode(db, { userId: input.userId, code: proof.code, meta: input.meta, now })).method
        : await provePasskey(db, input, proof, now);
  await db.transaction(async (tx) => {
    await markAuthenticated(tx, { sessionId: input.sessionId, twoFactor: method !== "password", now });
    await recordSecurityEvent(tx, { type: "reauthenticated", userId: input.userId, sessionId: input.sessionId, meta: input.meta, detail: { method }, now });
  });
  return { authenticatedUntil: recentAuthenticationEndsAt({ authenticatedAt: now }) };
}

/** The password, for an account without a second factor only; through the sign-in throttle. */
async function provePassword(db: Executor, userId: string, proof: Extract<StepUpProof, { method: "password" }>, now: Date): Promise<"password"> {
  const [user] = await db.select({ emailCanonical: users.emailCanonical, passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user) throw new AppError("invalidSession");
  // An account with no password at all (provider-only) falls through: its guess fails like any wrong one.
  if (hasSecondFactor(await signInMethods(db, userId))) throw new AppError("stepUpNeedsSecondFactor");
  const { valid } = await guessPassword(db, { canonicalEmail: user.emailCanonical, deviceCookie: proof.deviceCookie, password: proof.password, hash: user.passwordHash, now });
  if (!valid) throw new AppError("wrongCurrentPassword", { fields: { password: "The password is incorrect." } });
  return "password";
}

/** One of the user's own passkeys, on a challenge this session asked for. A passkey is two factors. */
async function provePasskey(
  db: Executor,
  input: { userId: string; sessionId: string },
  proof: Extract<StepUpProof, { method: "passkey" }>,
  now: Date,
): Promise<"passkey"> {
  await verifyPasskeyAssertion(db, { purpose: "reauthenticate", challengeId: proof.challengeId, response: proof.response, userId: input.userId, sessionId: input.sessionId, now });
  return "passkey";
}

/** A challenge for one of the user's own passkeys, bound to this session; each keeps a row, so asking is counted per address as at sign-in. */
export async function startPasskeyStepUp(input: { userId: string; sessionId: string; meta: ClientMeta; now?: Date }) {
  const now = input.now ?? new Date();
  const db = await getDb();
  await enforceIpLimit(db, "passkeyChallenge", input.meta, now);
  return startPasskeyAssertion(db, { purpose: "reauthenticate", userId: input.userId, sessionId: input.sessionId, now });
}
