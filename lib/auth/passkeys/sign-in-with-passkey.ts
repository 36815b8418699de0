import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { getDb } from "@/db/client";
import { findUserForSignIn, toPublicUser } from "@/lib/auth/accounts/users";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { enforceIpLimit } from "@/lib/auth/limits/ip-limits";
import { startPasskeyAssertion, verifyPasskeyAssertion } from "@/lib/auth/passkeys/verify-assertion";
import { openSignInSession } from "@/lib/auth/sessions/open-session";
import type { SessionKind } from "@/lib/auth/sessions/session";
import type { SignedIn } from "@/lib/auth/sessions/start-session";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";

/** Options for a sign-in that asks for no email (verify-assertion.ts). */
export async function startPasskeySignIn(input: { meta: ClientMeta; now: Date }): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; challengeId: string }> {
  const db = await getDb();
  // Anyone may ask, and each asking keeps a row: counted per address like the sign-ins themselves.
  await enforceIpLimit(db, "passkeyChallenge", input.meta, input.now);
  return startPasskeyAssertion(db, { purpose: "sign_in", now: input.now });
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
    openSignInSession(tx, {
      user: toPublicUser(user),
      emailWanted: user.newDeviceSignInEmails,
      kind: input.kind,
      meta,
      now,
      provider: null,
      secondFactor: null,
      passkey: { id: passkeyId },
    }),
  );
}
