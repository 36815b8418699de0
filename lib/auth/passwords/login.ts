import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { enforceIpLimit } from "@/lib/auth/limits/ip-limits";
import { FREE_FAILURES, guessPassword } from "@/lib/auth/limits/login-throttle";
import { hashPassword, needsRehash } from "@/lib/auth/passwords/password";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import type { LoginInput } from "@/lib/auth/schemas";
import type { SessionKind } from "@/lib/auth/sessions/session";
import { openSignInSession, type SignInOutcome } from "@/lib/auth/sessions/open-session";
import { hasConfirmedTotp } from "@/lib/auth/second-factor/totp-factor";
import { findUserForLogin, toPublicUser } from "@/lib/auth/accounts/users";
import type { ClientMeta } from "@/lib/http/client-meta";

/**
 * Unknown email, wrong password and disabled account all answer
 * invalid_credentials, and an unknown email still costs one bcrypt compare.
 * The per-IP limit and the password throttle (this browser's own streak when
 * it carries the account's device cookie, else the account-wide one, keyed by
 * the address typed, known or not) are passed before the password is hashed,
 * so a throttled streak refuses even the right one. Native clients send no
 * device cookie: they are unknown devices. An account with a second factor
 * gets no session yet: the outcome says which factor is owed.
 */
export async function logIn(
  input: LoginInput,
  options: { kind: SessionKind; meta: ClientMeta; now?: Date; deviceCookie?: string },
): Promise<SignInOutcome> {
  const now = options.now ?? new Date();
  const db = await getDb();
  const account = input.email.canonical;
  await enforceIpLimit(db, "login", options.meta, now);
  const row = await findUserForLogin(db, account);
  // No hash (a confirmation that kept no password) gets the dummy compare: the same answer and time as a wrong one.
  const { valid, attempt } = await guessPassword(db, {
    canonicalEmail: account,
    deviceCookie: options.deviceCookie,
    password: input.password,
    hash: row?.passwordHash ?? null,
    usable: !row?.disabledAt,
    now,
  });
  if (!row || !valid || row.disabledAt) {
    if (attempt === FREE_FAILURES) {
      await recordSecurityEvent(db, { type: "sign_in_throttled", userId: row?.id ?? null, meta: options.meta, detail: { failures: attempt }, now });
    }
    await recordSecurityEvent(db, {
      type: "sign_in_failed",
      userId: row?.id ?? null,
      meta: options.meta,
      detail: { reason: row ? (valid ? "disabled" : "wrong_password") : "unknown_email" },
      now,
    });
    throw new AppError("invalidCredentials");
  }
  // The password was right: guessPassword ended the streak, even if verification is still missing.
  if (env().REQUIRE_EMAIL_VERIFICATION && !row.emailVerifiedAt) throw new AppError("emailNotVerified");

  const rehash = row.passwordHash && needsRehash(row.passwordHash) ? await hashPassword(input.password) : null;
  return db.transaction(async (tx) => {
    if (rehash) await tx.update(users).set({ passwordHash: rehash, updatedAt: now }).where(eq(users.id, row.id));
    if (await hasConfirmedTotp(tx, row.id)) return { kind: "second_factor", pending: { userId: row.id, sessionKind: options.kind, provider: null } };
    const signedIn = await openSignInSession(tx, {
      user: toPublicUser(row),
      emailWanted: row.newDeviceSignInEmails,
      kind: options.kind,
      meta: options.meta,
      now,
      provider: null,
      secondFactor: null,
    });
    return { kind: "signed_in", signedIn };
  });
}
