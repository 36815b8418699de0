import { z } from "zod";

// Who signs in at the OpenID stand-ins. The name typed into the login page
// picks the account; an unknown name gets a default one, so most tests need
// no set-up. Tests that need odd claims (an unverified email, no email at all)
// register the account first, in-process or over HTTP (Playwright starts the
// stand-ins in another process).

export type OidcAccount = {
  login: string;
  sub: string;
  /** Absent: the provider releases no email claim at all. */
  email?: string;
  email_verified?: boolean;
  name?: string;
};

export const OidcAccountInputSchema = z.strictObject({
  login: z.string().min(1).max(200),
  sub: z.string().min(1).max(255).optional(),
  // null: an account without an email (some providers release none).
  email: z.string().min(1).max(320).nullable().optional(),
  email_verified: z.boolean().optional(),
  name: z.string().max(200).nullable().optional(),
});
export type OidcAccountInput = z.input<typeof OidcAccountInputSchema>;

/** The account a name gets when no test registered one. */
export function defaultOidcAccount(login: string): OidcAccount {
  return {
    login,
    sub: `sub-${login}`,
    email: login.includes("@") ? login : `${login}@example.test`,
    email_verified: true,
    name: login,
  };
}

export type OidcAccountBook = {
  add(input: OidcAccountInput): OidcAccount;
  /** The registered account for this name, or its default (remembered, so `sub` finds it later). */
  forLogin(login: string): OidcAccount;
  bySub(sub: string): OidcAccount | undefined;
};

export function createOidcAccountBook(): OidcAccountBook {
  const byLogin = new Map<string, OidcAccount>();
  const bySub = new Map<string, OidcAccount>();

  const remember = (account: OidcAccount): OidcAccount => {
    const previous = byLogin.get(account.login);
    if (previous) bySub.delete(previous.sub);
    byLogin.set(account.login, account);
    bySub.set(account.sub, account);
    return account;
  };

  return {
    add(input) {
      const parsed = OidcAccountInputSchema.parse(input);
      const base = defaultOidcAccount(parsed.login);
      // A field left out keeps its default; null removes the claim.
      const account: OidcAccount = { login: parsed.login, sub: parsed.sub ?? base.sub };
      const email = parsed.email === undefined ? base.email : parsed.email;
      if (email !== null) {
        account.email = email;
        account.email_verified = parsed.email_verified ?? true;
      }
      const name = parsed.name === undefined ? base.name : parsed.name;
      if (name !== null) account.name = name;
      return remember(account);
    },
    forLogin(login) {
      return byLogin.get(login) ?? remember(defaultOidcAccount(login));
    },
    bySub(sub) {
      return bySub.get(sub);
    },
  };
}
