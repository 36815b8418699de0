import type { Executor } from "@/db/client";
import { hitRateLimit } from "@/lib/auth/rate-limit";

/**
 * At most this many unsolicited messages (verification links, reset links,
 * "someone tried to sign up") go to one address per hour, so nobody can use
 * Doorman to flood a mailbox. Over the cap the message is silently not
 * enqueued: the answer must not change, or it would tell who has an account.
 */
export const EMAILS_PER_ADDRESS = { limit: 5, windowSeconds: 60 * 60 };

/**
 * Counts one message to the address and says whether it may be sent. Keyed by
 * the canonical form, so `Ada@x` and `ada@x` share one allowance.
 */
export async function mayEmailAddress(db: Executor, canonicalEmail: string, now: Date): Promise<boolean> {
  const result = await hitRateLimit(db, `email:to:${canonicalEmail}`, EMAILS_PER_ADDRESS, now);
  return result.allowed;
}
