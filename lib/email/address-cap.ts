import type { Executor } from "@/db/client";
import { hitRateLimit } from "@/lib/auth/limits/rate-limit";

/**
 * At most this many unsolicited messages (verification links, reset links,
 * "someone tried to sign up") go to one mailbox per hour, so nobody can use
 * Doorman to flood it. Over the cap the message is silently not enqueued: the
 * answer must not change, or it would tell who has an account.
 */
export const EMAILS_PER_ADDRESS = { limit: 5, windowSeconds: 60 * 60 };

/** Gmail ignores dots in the local part and answers for both domains. */
const GMAIL_DOMAINS = new Set(["gmail.com", "googlemail.com"]);

/**
 * The mailbox a canonical address delivers to, as far as the cap can tell:
 * `+tag` dropped for every domain (most providers deliver subaddresses, RFC
 * 5233, to the base mailbox), and Gmail's dots and second domain folded. Only
 * the cap uses it: accounts stay keyed by the canonical address, so this can
 * only make the cap stricter, never merge two accounts.
 */
export function mailboxKey(canonicalEmail: string): string {
  const at = canonicalEmail.lastIndexOf("@");
  const domain = canonicalEmail.slice(at + 1);
  const local = canonicalEmail.slice(0, at).split("+")[0]!;
  return GMAIL_DOMAINS.has(domain) ? `${local.replaceAll(".", "")}@gmail.com` : `${local}@${domain}`;
}

/**
 * Counts one message to the address's mailbox and says whether it may be
 * sent. `Ada@x`, `ada+1@x` and, at Gmail, `a.da@googlemail.com` share one
 * allowance.
 */
export async function mayEmailAddress(db: Executor, canonicalEmail: string, now: Date): Promise<boolean> {
  const result = await hitRateLimit(db, `email:to:${mailboxKey(canonicalEmail)}`, EMAILS_PER_ADDRESS, now);
  return result.allowed;
}
