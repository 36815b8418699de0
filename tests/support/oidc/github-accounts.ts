import { createHash } from "node:crypto";
import { z } from "zod";

// Who signs in at the GitHub stand-in. As with the OpenID stand-ins, the name
// typed on the page picks the account and an unknown name gets a default one.
// GitHub differs in what matters to the app: a numeric `id` is the stable key,
// `/user`'s `email` is the public email (null when the user hides it), and the
// addresses with their `verified` flags come only from `/user/emails`.

export type GitHubEmail = { email: string; primary: boolean; verified: boolean; visibility: "public" | "private" | null };
export type GitHubAccount = { login: string; id: number; name: string | null; emails: GitHubEmail[] };

export const GitHubAccountInputSchema = z.strictObject({
  login: z.string().min(1).max(200),
  id: z.number().int().positive().optional(),
  name: z.string().max(200).nullable().optional(),
  // Left out: one verified, primary, public address. [] : an account without any.
  emails: z
    .array(
      z.strictObject({
        email: z.string().min(1).max(320),
        verified: z.boolean().default(true),
        primary: z.boolean().default(false),
        // GitHub sets it on the primary address only; "private" hides it from /user.
        visibility: z.enum(["public", "private"]).nullable().optional(),
      }),
    )
    .max(20)
    .optional(),
});
export type GitHubAccountInput = z.input<typeof GitHubAccountInputSchema>;

/** Same login, same id, in any process: a Playwright test can predict it. */
export function defaultGitHubId(login: string): number {
  return (createHash("sha256").update(login).digest().readUInt32BE(0) % 900_000_000) + 100_000_000;
}

export function defaultGitHubAccount(login: string): GitHubAccount {
  const email = login.includes("@") ? login : `${login}@example.test`;
  return { login, id: defaultGitHubId(login), name: login, emails: [{ email, primary: true, verified: true, visibility: "public" }] };
}

/** What /user shows as `email`: the primary address when public, else null. */
export function publicEmail(account: GitHubAccount): string | null {
  return account.emails.find((e) => e.primary && e.visibility === "public")?.email ?? null;
}

export type GitHubAccountBook = {
  add(input: GitHubAccountInput): GitHubAccount;
  forLogin(login: string): GitHubAccount;
};

export function createGitHubAccountBook(): GitHubAccountBook {
  const byLogin = new Map<string, GitHubAccount>();
  return {
    add(input) {
      const parsed = GitHubAccountInputSchema.parse(input);
      const base = defaultGitHubAccount(parsed.login);
      const account: GitHubAccount = {
        login: parsed.login,
        id: parsed.id ?? base.id,
        name: parsed.name === undefined ? base.name : parsed.name,
        emails:
          parsed.emails?.map((e) => ({ ...e, visibility: e.visibility === undefined ? (e.primary ? "public" : null) : e.visibility })) ??
          base.emails,
      };
      byLogin.set(account.login, account);
      return account;
    },
    forLogin(login) {
      const account = byLogin.get(login) ?? defaultGitHubAccount(login);
      byLogin.set(login, account);
      return account;
    },
  };
}
