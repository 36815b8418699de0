import { createHash, timingSafeEqual } from "node:crypto";
import { getDb } from "@/db/client";
import { enforceIpLimit } from "@/lib/auth/limits/ip-limits";
import { consumeAuthorizationCode, findRedeemedCode, recordCodeSession, type ConsumedCode } from "@/lib/auth/native/authorization-codes";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { findUserForSignIn, toPublicUser } from "@/lib/auth/accounts/users";
import { revokeSessionRow } from "@/lib/auth/sessions/session";
import { openSignInSession } from "@/lib/auth/sessions/open-session";
import type { SignedIn } from "@/lib/auth/sessions/start-session";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";

export type CodeGrantInput = { code: string; redirectUri: string; clientId: string; codeVerifier: string };

/**
 * The token endpoint's authorization_code grant (RFC 6749 §4.1.3, RFC 7636
 * §4.6): a native session exactly like the password grant's (same session
 * kind, device list, new-device notice, security events, per-IP limit). The
 * code is spent by the first redemption that presents it, whatever else that
 * one sends: client, redirect URI and verifier are compared afterwards, so a
 * caught code allows one guess at most. Any refusal is `invalid_grant`.
 */
export async function redeemAuthorizationCode(input: CodeGrantInput, meta: ClientMeta, now: Date): Promise<SignedIn> {
  const db = await getDb();
  // A sign-in like any other: it counts against this address's sign-in allowance.
  await enforceIpLimit(db, "login", meta, now);
  const outcome = await db.transaction(async (tx) => {
    const code = await consumeAuthorizationCode(tx, { code: input.code, now });
    if (!code) return { ok: false as const, unusable: true };
    // Returned, not thrown: the code stays spent.
    if (!matches(code, input)) return { ok: false as const, unusable: false };
    const user = await findUserForSignIn(tx, code.userId);
    if (!user || user.disabledAt) return { ok: false as const, unusable: false };
    const signedIn = await openSignInSession(tx, {
      user: toPublicUser(user),
      emailWanted: user.newDeviceSignInEmails,
      kind: "native",
      meta,
      now,
      provider: null,
      secondFactor: null,
      inherited: code.authentication,
      detail: { via: "authorization_code", clientId: code.clientId },
    });
    await recordCodeSession(tx, { codeId: code.id, sessionId: signedIn.refresh.sessionId });
    return { ok: true as const, signedIn };
  });
  if (outcome.ok) return outcome.signedIn;
  if (outcome.unusable) await revokeOnReplay(input.code, meta, now);
  throw new AppError("invalidGrant", { message: "The authorization code is invalid, expired or already used, or does not match this request." });
}

/** RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge; and the client and redirect URI it was issued to. */
function matches(code: ConsumedCode, input: CodeGrantInput): boolean {
  const challenge = Buffer.from(createHash("sha256").update(input.codeVerifier, "ascii").digest("base64url"));
  const expected = Buffer.from(code.codeChallenge);
  const pkce = challenge.length === expected.length && timingSafeEqual(challenge, expected);
  return pkce && code.clientId === input.clientId && code.redirectUri === input.redirectUri;
}

/**
 * RFC 6749 §4.1.2: a code presented again after it was redeemed means two
 * parties hold it; the session the first redemption opened is revoked, as a
 * replayed refresh token revokes its family.
 */
async function revokeOnReplay(code: string, meta: ClientMeta, now: Date): Promise<void> {
  const db = await getDb();
  const redeemed = await findRedeemedCode(db, code);
  if (!redeemed?.sessionId) return;
  const sessionId = redeemed.sessionId;
  await db.transaction(async (tx) => {
    if (!(await revokeSessionRow(tx, sessionId, "authorization_code_reuse", now))) return;
    await recordSecurityEvent(tx, { type: "authorization_code_reuse", userId: redeemed.userId, sessionId, meta, now });
  });
}
