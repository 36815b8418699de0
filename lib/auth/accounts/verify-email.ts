import { eq } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { enforceIpLimit } from "@/lib/auth/limits/ip-limits";
import { guessPassword } from "@/lib/auth/limits/login-throttle";
import { consumeOneTimeToken, createOneTimeToken, findUsableOneTimeToken, voidOneTimeTokens } from "@/lib/auth/accounts/one-time-token";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { matchesSignupMarker } from "@/lib/auth/accounts/signup-marker";
import { startSession, type SignedIn } from "@/lib/auth/sessions/start-session";
import { findPublicUser, type PublicUser } from "@/lib/auth/accounts/users";
import { mayEmailAddress } from "@/lib/email/address-cap";
import { enqueueEmail } from "@/lib/email/outbox";
import { choosePasswordEmail } from "@/lib/email/templates";
import type { ClientMeta } from "@/lib/http/client-meta";

// Following a link proves the mailbox, not who chose the password: that was
// whoever signed up, maybe a stranger, maybe someone who mailed their own
// link to a victim. A session needs both (docs/decisions/0019): the marker
// cookie of the browser that submitted the signup, or the password typed again.

export type VerifyEmailRequest = {
  token: string;
  /** The password chosen at signup, typed again: the proof when this browser did not sign up. */
  password?: string | undefined;
  /** The signup marker cookie this browser sent, if any. */
  marker: string | null;
};

/** `signedIn` is null when nothing proved the password: verified, no session, and the signup's password is gone. */
export type Verified = { user: PublicUser; signedIn: SignedIn | null };

type PendingLink = { userId: string; email: string; emailCanonical: string; passwordHash: string | null };

async function findLinkAccount(db: Executor, token: string, now: Date): Promise<PendingLink | null> {
  const userId = await findUsableOneTimeToken(db, { token, purpose: "verify_email", now });
  if (!userId) return null;
  const [account] = await db
    .select({ userId: users.id, email: users.email, emailCanonical: users.emailCanonical, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  return account ?? null;
}

/** For the confirm page: the address a live link confirms, and whether this browser signed up for it. Uses nothing up. */
export async function describeVerificationLink(token: string, marker: string | null, now = new Date()): Promise<{ email: string; signedUpHere: boolean } | null> {
  const link = await findLinkAccount(await getDb(), token, now);
  return link ? { email: link.email, signedUpHere: matchesSignupMarker(marker, link.userId, link.passwordHash) } : null;
}

/**
 * Consumes a verification link and marks the address verified. With the
 * signup proven it also signs in; without, the password chosen at signup is
 * discarded (the account then has none) and the address gets a link to
 * choose one. A wrong password typed again is refused before anything is used up.
 */
export async function verifyEmail(input: VerifyEmailRequest, meta: ClientMeta, now = new Date()): Promise<Verified> {
  const db = await getDb();
  const link = await findLinkAccount(db, input.token, now);
  if (!link) throw new AppError("invalidToken");
  const proven = await provesSignup(db, link, input, meta, now);
  return db.transaction(async (tx) => {
    // The account row first, then the link: signup and resend lock in that order too.
    const [account] = await tx
      .select({ disabledAt: users.disabledAt, verifiedAt: users.emailVerifiedAt, passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.id, link.userId))
      .for("update");
    const userId = await consumeOneTimeToken(tx, { token: input.token, purpose: "verify_email", now });
    // A link sent before an admin disabled the account must not sign it in; the
    // answer is the usual one (as login's is), and the rollback leaves the link unused.
    if (!account || userId !== link.userId || account.disabledAt) throw new AppError("invalidToken");
    // The proof was for the hash read before the transaction: a password set since is not what was proven.
    const keepsPassword = proven && account.passwordHash === link.passwordHash;
    if (!account.verifiedAt) {
      await tx
        .update(users)
        .set({ emailVerifiedAt: now, updatedAt: now, ...(keepsPassword ? {} : { passwordHash: null }) })
        .where(eq(users.id, userId));
    }
    const user = await findPublicUser(tx, userId);
    if (!user) throw new AppError("invalidToken");
    await recordSecurityEvent(tx, { type: "email_verified", userId, meta, detail: { signedIn: keepsPassword }, now });
    if (keepsPassword) return { user, signedIn: await startSession(tx, { user, kind: "browser", meta, now }) };
    if (!account.verifiedAt) await sendChoosePasswordLink(tx, link, now);
    return { user, signedIn: null };
  });
}

/**
 * The marker settles it without a hash; a typed password is a sign-in attempt:
 * it counts against the IP's limit and the account's throttle, or a link
 * would be a way to guess the password past them.
 */
async function provesSignup(db: Executor, link: PendingLink, input: VerifyEmailRequest, meta: ClientMeta, now: Date): Promise<boolean> {
  if (matchesSignupMarker(input.marker, link.userId, link.passwordHash)) return true;
  if (input.password === undefined) return false;
  await enforceIpLimit(db, "login", meta, now);
  const { valid } = await guessPassword(db, { canonicalEmail: link.emailCanonical, password: input.password, hash: link.passwordHash, now });
  if (!valid) throw new AppError("invalidCredentials", { fields: { password: "This is not the password chosen at sign-up." } });
  return true;
}

/** A reset link under another name: the person who just proved the mailbox chooses the password. */
async function sendChoosePasswordLink(tx: Executor, link: PendingLink, now: Date): Promise<void> {
  if (!(await mayEmailAddress(tx, link.emailCanonical, now))) return;
  await voidOneTimeTokens(tx, { userId: link.userId, purpose: "reset_password", now });
  const reset = await createOneTimeToken(tx, { userId: link.userId, purpose: "reset_password", now });
  await enqueueEmail(tx, choosePasswordEmail({ to: link.email, token: reset.token }), now, { oneTimeTokenId: reset.id });
}
