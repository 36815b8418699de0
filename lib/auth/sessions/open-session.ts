import type { Executor } from "@/db/client";
import type { PublicUser } from "@/lib/auth/accounts/users";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { noticeNewDevice } from "@/lib/auth/sessions/new-device-notice";
import type { SessionKind } from "@/lib/auth/sessions/session";
import { startSession, type SignedIn } from "@/lib/auth/sessions/start-session";
import type { ClientMeta } from "@/lib/http/client-meta";

/** What a sign-in comes to: a session, or a first factor met and a second one owed (lib/auth/second-factor/). */
export type SignInOutcome = { kind: "signed_in"; signedIn: SignedIn } | { kind: "second_factor"; pending: PendingSignIn };

/** Who passed the first factor, and how (`provider`: the provider that signed them in; null: their password): what the second step needs to open the session the first would have. */
export type PendingSignIn = { userId: string; sessionKind: SessionKind; provider: string | null };

/** An authentication made earlier, in another session, that a new session stands on. */
export type InheritedAuthentication = { authenticatedAt: Date; twoFactor: boolean };

/**
 * The end of every sign-in (password, provider, second factor, passkey): the
 * session, the new-device notice and the `sign_in` event, in the caller's
 * transaction. `newAccount`: its very first sign-in, which is no news.
 * `passkey`: the passkey that signed in alone, which counts as two factors
 * (something held, and the PIN or biometric that unlocked it). `inherited`:
 * no factor was presented here; the session is as fresh, and as two-factor,
 * as the one it came from (a native app's code, minted by a browser session).
 */
export async function openSignInSession(
  tx: Executor,
  input: {
    user: PublicUser;
    emailWanted: boolean;
    kind: SessionKind;
    meta: ClientMeta;
    now: Date;
    provider: string | null;
    secondFactor: "totp" | "recovery_code" | null;
    passkey?: { id: string };
    inherited?: InheritedAuthentication;
    newAccount?: boolean;
    /** More for the event: how a sign-in that is none of the above arrived (a native app's authorization code). */
    detail?: Record<string, unknown>;
  },
): Promise<SignedIn> {
  const { meta, now } = input;
  const twoFactor = input.secondFactor !== null || input.passkey !== undefined || input.inherited?.twoFactor === true;
  const signedIn = await startSession(tx, { user: input.user, kind: input.kind, meta, now, twoFactor, authenticatedAt: input.inherited?.authenticatedAt });
  const newDevice = input.newAccount
    ? false
    : await noticeNewDevice(tx, { user: signedIn.user, emailWanted: input.emailWanted, sessionId: signedIn.refresh.sessionId, meta, now });
  await recordSecurityEvent(tx, {
    type: "sign_in",
    userId: input.user.id,
    sessionId: signedIn.refresh.sessionId,
    meta,
    detail: {
      newDevice,
      ...(input.provider ? { provider: input.provider } : {}),
      ...(input.secondFactor ? { secondFactor: input.secondFactor } : {}),
      ...(input.passkey ? { method: "passkey", passkeyId: input.passkey.id } : {}),
      ...input.detail,
    },
    now,
  });
  return signedIn;
}
