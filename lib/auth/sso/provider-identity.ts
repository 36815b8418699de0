import { z } from "zod";
import type { OidcProvider } from "@/lib/auth/sso/providers";

// Who a provider says signed in, reduced to the four things Doorman uses. The
// subject, never the email, is the identity: an email can change hands at a
// provider, a subject cannot. The email counts only when the provider says it
// is verified, in the way that provider says it.

export type ProviderIdentity = {
  subject: string;
  /** Null when the provider shared none. */
  email: string | null;
  emailVerified: boolean;
  name: string | null;
};

const Text = z.string().trim().min(1).max(320);

const IdTokenClaims = z.object({
  sub: z.string().min(1).max(255),
  email: Text.optional().catch(undefined),
  // Some providers send the string "true".
  email_verified: z.union([z.boolean(), z.enum(["true", "false"])]).optional().catch(undefined),
  /**
   * Microsoft Entra sends no email_verified, and its `email` can be any
   * address a tenant admin typed. Its optional claim xms_edov says the
   * address's domain belongs to the account's tenant.
   */
  xms_edov: z.union([z.boolean(), z.enum(["true", "false", "1", "0"])]).optional().catch(undefined),
  name: Text.optional().catch(undefined),
});

/** From a validated ID token's claims. */
export function identityFromIdToken(provider: Pick<OidcProvider, "emailVerification">, claims: unknown): ProviderIdentity | null {
  const parsed = IdTokenClaims.safeParse(claims);
  if (!parsed.success) return null;
  const { sub, email, email_verified, xms_edov, name } = parsed.data;
  const verified =
    provider.emailVerification === "microsoft"
      ? xms_edov === true || xms_edov === "true" || xms_edov === "1"
      : email_verified === true || email_verified === "true";
  return { subject: sub, email: email ?? null, emailVerified: Boolean(email) && verified, name: name ?? null };
}

const GitHubUser = z.object({ id: z.number().int().positive(), login: z.string(), name: Text.nullable().optional().catch(null) });
const GitHubEmails = z.array(z.object({ email: Text, primary: z.boolean(), verified: z.boolean() }));

/**
 * From GitHub's `GET /user` and `GET /user/emails`: the primary address,
 * verified or not as GitHub says (it lets an account list addresses it never
 * proved), and never another one. The numeric id is the subject; the login
 * can be renamed.
 */
export function identityFromGitHub(user: unknown, emails: unknown): ProviderIdentity | null {
  const parsedUser = GitHubUser.safeParse(user);
  const parsedEmails = GitHubEmails.safeParse(emails);
  if (!parsedUser.success || !parsedEmails.success) return null;
  const primary = parsedEmails.data.find((entry) => entry.primary) ?? null;
  return {
    subject: String(parsedUser.data.id),
    email: primary?.email ?? null,
    emailVerified: primary?.verified === true,
    name: parsedUser.data.name ?? parsedUser.data.login,
  };
}
