import { generateAuthenticationOptions, type AuthenticationResponseJSON, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { getDb } from "@/db/client";
import { findUserForSignIn, toPublicUser } from "@/lib/auth/accounts/users";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { enforceIpLimit } from "@/lib/auth/limits/ip-limits";
import { storeChallenge } from "@/lib/auth/passkeys/challenges";
import { relyingParty } from "@/lib/auth/passkeys/relying-party";
import { verifyPasskeyAssertion } from "@/lib/auth/passkeys/verify-assertion";
import { finishSignIn } from "@/lib/auth/sessions/finish-sign-in";
import type { SessionKind } from "@/lib/auth/sessions/session";
import type { SignedIn } from "@/lib/auth/sessions/start-session";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";

/**
 * Options for navigator.credentials.get() with no email asked: no
 * allowCredentials, so the browser offers the passkeys it holds for this
 * site (discoverable credentials), and user verification required.
 */
export async function startPasskeySignIn(input: { meta: ClientMeta; now: Date }): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; challengeId: string }> {
  const db = await getDb();
  // Anyone may ask, and each asking keeps a row: counted per address like the sign-ins themselves.
  await enforceIpLimit(db, "passkeyChallenge", input.meta, input.now);
  const options = await generateAuthenticationOptions({ rpID: relyingParty().id, userVerification: "required" });
  const challengeId = await storeChallenge(db, { challenge: options.challenge, purpose: "sign_in", now: input.now });
  return { options, challengeId };
}

/**
 * Signs in with a passkey: verified (verify-assertion.ts), then a session
 * marked two-factor, as a password sign-in would open it. A disabled account
 * is refused like an unknown passkey, after the passkey proved its holder.
 */
export async function signInWithPasskey(input: {
  challengeId: string | null;
  response: AuthenticationResponseJSON;
  kind: SessionKind;
  meta: ClientMeta;
  now: Date;
}): Promise<SignedIn> {
  const { meta, now } = input;
  const db = await getDb();
  await enforceIpLimit(db, "login", meta, now);
  const { userId, passkeyId } = await verifyPasskeyAssertion(db, { purpose: "sign_in", challengeId: input.challengeId, response: input.response, now });
  const user = await findUserForSignIn(db, userId);
  if (!user || user.disabledAt) {
    await recordSecurityEvent(db, { type: "sign_in_failed", userId, meta, detail: { reason: "disabled", method: "passkey" }, now });
    throw new AppError("invalidPasskey");
  }
  if (env().REQUIRE_EMAIL_VERIFICATION && !user.emailVerifiedAt) throw new AppError("emailNotVerified");
  return db.transaction((tx) =>
    finishSignIn(tx, {
      user: toPublicUser(user),
      emailWanted: user.newDeviceSignInEmails,
      kind: input.kind,
      meta,
      now,
      twoFactor: true,
      detail: { method: "passkey", passkeyId },
    }),
  );
}
