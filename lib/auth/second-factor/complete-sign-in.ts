import { getDb } from "@/db/client";
import { findUserForSignIn, toPublicUser } from "@/lib/auth/accounts/users";
import { openSignInSession, type PendingSignIn } from "@/lib/auth/sessions/open-session";
import type { SignedIn } from "@/lib/auth/sessions/start-session";
import { verifySecondFactorCode } from "@/lib/auth/second-factor/verify-second-factor";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";

/**
 * The second step of a sign-in: a right code opens the session the first
 * step held back, marked two-factor, with the new-device notice and the
 * `sign_in` event it would have had. An account disabled in between is sent
 * back to the start, where it is refused.
 */
export async function completeSecondFactorSignIn(
  pending: PendingSignIn,
  input: { code: string; meta: ClientMeta; now?: Date },
): Promise<SignedIn> {
  const now = input.now ?? new Date();
  const db = await getDb();
  const { method } = await verifySecondFactorCode(db, { userId: pending.userId, code: input.code, meta: input.meta, now });
  return db.transaction(async (tx) => {
    const user = await findUserForSignIn(tx, pending.userId);
    if (!user || user.disabledAt) throw new AppError("secondFactorExpired");
    return openSignInSession(tx, {
      user: toPublicUser(user),
      emailWanted: user.newDeviceSignInEmails,
      kind: pending.sessionKind,
      meta: input.meta,
      now,
      provider: pending.provider,
      secondFactor: method,
    });
  });
}
