import { and, eq, lt } from "drizzle-orm";
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import type { Executor } from "@/db/client";
import { passkeys } from "@/db/schema";
import { consumeChallenge, storeChallenge } from "@/lib/auth/passkeys/challenges";
import { relyingParty } from "@/lib/auth/passkeys/relying-party";
import { userHandleOf } from "@/lib/auth/passkeys/user-handle";
import { AppError } from "@/lib/errors";

type AssertionPurpose = "sign_in" | "reauthenticate";

/**
 * Options for navigator.credentials.get(), user verification required, and
 * their challenge kept. `sign_in`: no allowCredentials, so the browser offers
 * the passkeys it holds for this site (discoverable credentials).
 * `reauthenticate`: the user's own passkeys, the challenge bound to them and
 * this session. The caller sets the ceremony cookie with the id returned.
 */
export async function startPasskeyAssertion(
  db: Executor,
  input: { purpose: "sign_in"; now: Date } | { purpose: "reauthenticate"; userId: string; sessionId: string; now: Date },
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; challengeId: string }> {
  const allowCredentials =
    input.purpose === "reauthenticate"
      ? (await db.select({ id: passkeys.credentialId, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, input.userId)))
      : undefined;
  const options = await generateAuthenticationOptions({ rpID: relyingParty().id, userVerification: "required", allowCredentials });
  const challengeId = await storeChallenge(db, { challenge: options.challenge, ...input });
  return { options, challengeId };
}

/**
 * Verifies a passkey assertion (WebAuthn §7.2) against the stored challenge
 * of this browser's ceremony, and returns whose passkey signed. The challenge
 * is consumed first, in its own statement, so it is gone whatever follows.
 * User verification is required: a passkey alone counts as two factors
 * (something held, and the PIN or biometric that unlocked it).
 *
 * `sign_in`: any account's passkey. `reauthenticate`: the challenge must have
 * been asked for by this user and session, and the passkey must be theirs.
 * Every refusal is `invalid_passkey`.
 */
export async function verifyPasskeyAssertion(
  db: Executor,
  input: {
    purpose: AssertionPurpose;
    challengeId: string | null;
    response: AuthenticationResponseJSON;
    userId?: string;
    sessionId?: string;
    now: Date;
  },
): Promise<{ userId: string; passkeyId: string }> {
  const { purpose, response, now } = input;
  const challenge = input.challengeId ? await consumeChallenge(db, { id: input.challengeId, purpose, now }) : null;
  if (!challenge) throw new AppError("invalidPasskey");
  if (purpose === "reauthenticate" && (!input.userId || challenge.userId !== input.userId || challenge.sessionId !== input.sessionId)) {
    throw new AppError("invalidPasskey");
  }
  const [passkey] = await db
    .select({ id: passkeys.id, userId: passkeys.userId, publicKey: passkeys.publicKey, counter: passkeys.counter, transports: passkeys.transports })
    .from(passkeys)
    .where(and(eq(passkeys.credentialId, response.id), input.userId ? eq(passkeys.userId, input.userId) : undefined));
  if (!passkey) throw new AppError("invalidPasskey");
  // §7.2 step 6: a user handle, when the authenticator returns one, must name the passkey's owner.
  const handle = response.response.userHandle;
  if (handle !== undefined && handle !== Buffer.from(userHandleOf(passkey.userId)).toString("base64url")) throw new AppError("invalidPasskey");
  const rp = relyingParty();
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    credential: { id: response.id, publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")), counter: passkey.counter, transports: passkey.transports },
    requireUserVerification: true,
  }).catch(() => null);
  if (!verification?.verified) throw new AppError("invalidPasskey");
  // §6.1.1: a counter that did not move forward may mean a cloned authenticator.
  // Conditional, so two assertions racing with one counter value cannot both
  // pass; authenticators that do not count report 0 every time.
  const { newCounter } = verification.authenticationInfo;
  const [used] = await db
    .update(passkeys)
    .set({ counter: newCounter, lastUsedAt: now, backedUp: verification.authenticationInfo.credentialBackedUp })
    .where(and(eq(passkeys.id, passkey.id), newCounter === 0 ? eq(passkeys.counter, 0) : lt(passkeys.counter, newCounter)))
    .returning({ id: passkeys.id });
  if (!used) throw new AppError("invalidPasskey");
  return { userId: passkey.userId, passkeyId: passkey.id };
}
