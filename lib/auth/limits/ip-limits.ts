import type { Executor } from "@/db/client";
import { enforceRateLimit, type RateLimit } from "@/lib/auth/limits/rate-limit";
import type { ClientMeta } from "@/lib/http/client-meta";
import { ipBucket } from "@/lib/http/ip-bucket";

/**
 * Per-client-address limits (README, "Rate limits"). Generous enough for an
 * office behind one NAT, tight enough to make credential stuffing and email
 * bombing from one address slow. Every attempt counts, successful or not.
 */
export const IP_LIMITS = {
  login: { limit: 30, windowSeconds: 10 * 60 },
  signup: { limit: 10, windowSeconds: 60 * 60 },
  forgotPassword: { limit: 10, windowSeconds: 60 * 60 },
  resendVerification: { limit: 10, windowSeconds: 60 * 60 },
  // Each attempt with a live link costs a bcrypt hash, and concurrent attempts
  // with one link all hash before one wins. Room for a few typos per link.
  resetPassword: { limit: 20, windowSeconds: 60 * 60 },
  // Each passkey sign-in asks for a challenge first, and /login asks on every
  // load where the browser offers passkeys in the email field's autofill.
  passkeyChallenge: { limit: 120, windowSeconds: 10 * 60 },
  // Every page load with an expired access token refreshes once; several tabs
  // and parallel requests refresh at the same moment.
  refresh: { limit: 300, windowSeconds: 10 * 60 },
} satisfies Record<string, RateLimit>;

export type IpLimitedAction = keyof typeof IP_LIMITS;

/** The counter an action from this client address counts against, and its rule. */
export function ipLimit(action: IpLimitedAction, meta: ClientMeta): { key: string; rule: RateLimit } {
  return { key: `${action}:ip:${ipBucket(meta.ip)}`, rule: IP_LIMITS[action] };
}

/** Throws rateLimited (429 with Retry-After) when this client address has used up its allowance. */
export function enforceIpLimit(db: Executor, action: IpLimitedAction, meta: ClientMeta, now: Date): Promise<void> {
  const { key, rule } = ipLimit(action, meta);
  return enforceRateLimit(db, key, rule, now);
}
