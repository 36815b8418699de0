import { eq } from "drizzle-orm";
import { generateRegistrationOptions, verifyRegistrationResponse, type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON } from "@simplewebauthn/server";
import { getDb } from "@/db/client";
import { passkeys } from "@/db/schema";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { consumeChallenge, storeChallenge } from "@/lib/auth/passkeys/challenges";
import { passkeyViewColumns, type PasskeyView } from "@/lib/auth/passkeys/passkey-view";
import { relyingParty } from "@/lib/auth/passkeys/relying-party";
import { SUPPORTED_ALGORITHMS } from "@/lib/auth/passkeys/algorithms";
import { userHandleOf } from "@/lib/auth/passkeys/user-handle";
import type { SessionUser } from "@/lib/auth/sessions/session";
import { enqueueEmail } from "@/lib/email/outbox";
import { passkeyAddedEmail } from "@/lib/email/templates";
import { AppError } from "@/lib/errors";
import { markAuthenticated } from "@/lib/auth/step-up/recent-authentication";
import type { ClientMeta } from "@/lib/http/client-meta";

/**
 * Options for navigator.credentials.create(): a discoverable credential
 * (`residentKey: "required"`, so it can sign in without an email), none of
 * the account's own passkeys again, and no attestation (we trust no
 * authenticator model more than another). The challenge is kept, bound to
 * this user and session.
 */
export async function startPasskeyRegistration(input: {
  user: SessionUser;
  sessionId: string;
  now: Date;
}): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; challengeId: string }> {
  const db = await getDb();
  const rp = relyingParty();
  const existing = await db.select({ credentialId: passkeys.credentialId, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, input.user.id));
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: userHandleOf(input.user.id),
    userName: input.user.email,
    userDisplayName: input.user.name,
    attestationType: "none",
    excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
    // Required, as at sign-in: a passkey counts as two factors only with the PIN or biometric that unlocks it.
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  });
  const challengeId = await storeChallenge(db, { challenge: options.challenge, purpose: "register", userId: input.user.id, sessionId: input.sessionId, now: input.now });
  return { options, challengeId };
}

/**
 * Verifies the authenticator's answer to this browser's registration
 * ceremony, started by this very session, and keeps the passkey. The
 * challenge is gone after this call whatever the outcome.
 */
export async function addPasskey(input: {
  user: SessionUser;
  sessionId: string;
  challengeId: string | null;
  name: string;
  response: RegistrationResponseJSON;
  meta: ClientMeta;
  now: Date;
}): Promise<PasskeyView> {
  const { user, now } = input;
  const db = await getDb();
  const challenge = input.challengeId ? await consumeChallenge(db, { id: input.challengeId, purpose: "register", now }) : null;
  if (!challenge || challenge.userId !== user.id || challenge.sessionId !== input.sessionId) throw new AppError("invalidPasskey");
  const rp = relyingParty();
  const verification = await verifyRegistrationResponse({
    response: input.response,
    expectedChallenge: challenge.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    // An authenticator that cannot verify its user could never sign in (sign-in requires it): refused here, not later.
    requireUserVerification: true,
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  }).catch(() => null);
  if (!verification?.verified) throw new AppError("invalidPasskey");
  const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
  return db.transaction(async (tx) => {
    const [passkey] = await tx
      .insert(passkeys)
      .values({
        id: crypto.randomUUID(),
        userId: user.id,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString("base64url"),
        counter: credential.counter,
        transports: input.response.response.transports ?? [],
        deviceType: credentialDeviceType,
        backedUp: credentialBackedUp,
        name: input.name,
        createdAt: now,
      })
      .onConflictDoNothing({ target: passkeys.credentialId })
      .returning(passkeyViewColumns);
    if (!passkey) throw new AppError("invalidPasskey", { message: "This passkey is already registered." });
    // Making it proved this person holds it: the session is now a two-factor one (the admin policy reads that).
    await markAuthenticated(tx, { sessionId: input.sessionId, twoFactor: true, now });
    await recordSecurityEvent(tx, { type: "passkey_added", userId: user.id, sessionId: input.sessionId, meta: input.meta, detail: { passkeyId: passkey.id, name: passkey.name }, now });
    await enqueueEmail(tx, passkeyAddedEmail({ to: user.email, name: user.name, passkeyName: passkey.name }), now);
    return passkey;
  });
}
