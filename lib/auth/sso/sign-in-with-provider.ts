import { eq } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { users } from "@/db/schema";
import { parseEmailAddress } from "@/lib/auth/accounts/email-address";
import { voidOneTimeTokens } from "@/lib/auth/accounts/one-time-token";
import { signInColumns, toPublicUser } from "@/lib/auth/accounts/users";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { enforceIpLimit } from "@/lib/auth/limits/ip-limits";
import { hasConfirmedTotp } from "@/lib/auth/second-factor/totp-factor";
import { openSignInSession, type SignInOutcome } from "@/lib/auth/sessions/open-session";
import type { SessionKind } from "@/lib/auth/sessions/session";
import { findIdentityOwner, insertIdentity, touchIdentity } from "@/lib/auth/sso/identities";
import type { ProviderIdentity } from "@/lib/auth/sso/provider-identity";
import type { SsoProvider } from "@/lib/auth/sso/providers";
import { SsoError } from "@/lib/auth/sso/sso-error";
import { enqueueEmail } from "@/lib/email/outbox";
import { providerLinkedEmail } from "@/lib/email/templates";
import type { ClientMeta } from "@/lib/http/client-meta";

// Which account a provider's identity signs in to (docs/decisions/0033):
// - one already linked to it, always;
// - else the account with the same email address, linked now, only when the
//   provider says the address is verified AND the account's address is
//   verified (an unverified account is a pending signup, which belongs to
//   nobody: the provider's proof claims it, and the stranger's password goes);
// - else a new account, only for an address the provider says is verified.
// Anything else is refused: a person whose address a provider has not proved
// signs in with their password and links the provider from /account. So no
// one gains an account by naming its address at a provider that does not
// check it, and no account is made for an address its owner never confirmed.
// The provider is a first factor like a password: an account with a second
// factor gets no session until it is given (the link, once made, stays).

type Options = { kind: SessionKind; meta: ClientMeta; now?: Date };

export async function signInWithProvider(provider: SsoProvider, identity: ProviderIdentity, options: Options): Promise<SignInOutcome> {
  const now = options.now ?? new Date();
  const db = await getDb();
  await enforceIpLimit(db, "login", options.meta, now);
  return db.transaction(async (tx) => {
    const linked = await findIdentityOwner(tx, provider.id, identity.subject);
    if (linked) {
      if (linked.disabledAt) throw new SsoError("account_disabled");
      await touchIdentity(tx, { identityId: linked.identityId, email: identity.email, now });
      return begin(tx, { user: linked, emailWanted: linked.newDeviceSignInEmails, provider, options, now, firstTime: false });
    }
    const email = identity.email ? parseEmailAddress(identity.email) : null;
    if (!email) throw new SsoError("email_missing");
    const [existing] = await tx
      .select(signInColumns)
      .from(users)
      .where(eq(users.emailCanonical, email.canonical))
      .for("update");
    if (!identity.emailVerified) throw new SsoError(existing ? "link_required" : "email_unverified");
    if (existing?.disabledAt) throw new SsoError("account_disabled");
    const user = existing ? await claimAccount(tx, existing, now) : await createAccount(tx, { email, identity, provider, meta: options.meta, now });
    if (!user) throw new SsoError("invalid_response", "the account's address was taken by a concurrent sign-up");
    if (!(await insertIdentity(tx, { userId: user.id, provider: provider.id, subject: identity.subject, email: identity.email, now }))) {
      // The same provider account, signing in twice at once: the other request linked it.
      throw new SsoError("flow_expired", "a concurrent sign-in linked this identity first");
    }
    if (existing) {
      await recordSecurityEvent(tx, { type: "provider_linked", userId: user.id, meta: options.meta, detail: { provider: provider.id, by: "matching_email" }, now });
      await enqueueEmail(tx, providerLinkedEmail({ to: user.email, name: user.name, provider: provider.name }), now);
    }
    return begin(tx, { user, emailWanted: existing?.newDeviceSignInEmails ?? true, provider, options, now, firstTime: !existing });
  });
}

type AccountRow = { id: string; email: string; name: string; role: "user" | "admin"; emailVerifiedAt: Date | null };

/**
 * A verified account is its owner's already. A pending one (a signup never
 * confirmed) is now the provider-proven owner's: it is verified, and the
 * password and links the unconfirmed signup left are voided, as a confirmed
 * email link would void a stranger's (docs/decisions/0019).
 */
async function claimAccount(tx: Executor, account: AccountRow, now: Date): Promise<AccountRow> {
  if (account.emailVerifiedAt) return account;
  await tx.update(users).set({ emailVerifiedAt: now, passwordHash: null, updatedAt: now }).where(eq(users.id, account.id));
  await voidOneTimeTokens(tx, { userId: account.id, purpose: "verify_email", now });
  return { ...account, emailVerifiedAt: now };
}

async function createAccount(
  tx: Executor,
  input: { email: { address: string; canonical: string }; identity: ProviderIdentity; provider: SsoProvider; meta: ClientMeta; now: Date },
): Promise<AccountRow | null> {
  const { email, now } = input;
  const name = (input.identity.name ?? email.address.slice(0, email.address.indexOf("@"))).slice(0, 100);
  const [row] = await tx
    .insert(users)
    .values({ id: crypto.randomUUID(), email: email.address, emailCanonical: email.canonical, name, passwordHash: null, role: "user", emailVerifiedAt: now, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: users.emailCanonical })
    .returning({ id: users.id, email: users.email, name: users.name, role: users.role, emailVerifiedAt: users.emailVerifiedAt });
  if (!row) return null;
  await recordSecurityEvent(tx, { type: "sign_up", userId: row.id, meta: input.meta, detail: { provider: input.provider.id }, now });
  return row;
}

async function begin(
  tx: Executor,
  input: { user: AccountRow; emailWanted: boolean; provider: SsoProvider; options: Options; now: Date; firstTime: boolean },
): Promise<SignInOutcome> {
  const { options } = input;
  if (!input.firstTime && (await hasConfirmedTotp(tx, input.user.id))) {
    return { kind: "second_factor", pending: { userId: input.user.id, sessionKind: options.kind, provider: input.provider.id } };
  }
  const signedIn = await openSignInSession(tx, {
    user: toPublicUser(input.user),
    emailWanted: input.emailWanted,
    kind: options.kind,
    meta: options.meta,
    now: input.now,
    provider: input.provider.id,
    secondFactor: null,
    newAccount: input.firstTime,
  });
  return { kind: "signed_in", signedIn };
}
