import type { AccessClaims } from "@/lib/auth/edge/jwt";

// Edge-safe. A browser sends the same access token with every request for the
// token's whole life, and the middleware, then the data access layer, check it
// on each one. Its signature and claims cannot change, so each process checks
// a token once and remembers the result (docs/decisions/0012). This is a memo
// of a pure computation, not shared state: every instance reaches the same
// answer on its own, and a revoked session is still the database's to decide.
//
// Only tokens that passed the full check are remembered, under their exact
// text: a forged or altered token never matches one, and a token minted for a
// downstream API never passes it (its audience is not "doorman": decision 0016). What depends on the
// clock, expiry, is checked again on every use.

/** About 1.5 KB each (token text and claims): a few megabytes at most. */
export const MAX_REMEMBERED_TOKENS = 2000;

type Entry = { claims: AccessClaims; issuer: string };

const remembered = new Map<string, Entry>();

export type Recalled = { ok: true; claims: AccessClaims } | { ok: false; reason: "expired" } | undefined;

/**
 * The verdict for a token this process verified before, or undefined.
 * `issuer` is today's configured issuer: a token checked under another one
 * (a test that changes APP_URL) is checked afresh.
 */
export function recallVerifiedToken(token: string, at: { nowSeconds: number; toleranceSeconds: number; issuer: string }): Recalled {
  const entry = remembered.get(token);
  if (!entry || entry.issuer !== at.issuer) return undefined;
  // jose's own rule: expired once exp <= now - tolerance.
  if (entry.claims.exp <= at.nowSeconds - at.toleranceSeconds) {
    remembered.delete(token);
    return { ok: false, reason: "expired" };
  }
  return { ok: true, claims: entry.claims };
}

export function rememberVerifiedToken(token: string, claims: AccessClaims, issuer: string): void {
  if (remembered.size >= MAX_REMEMBERED_TOKENS) {
    // Insertion order is issue order, near enough: the oldest goes first.
    const oldest = remembered.keys().next().value;
    if (oldest !== undefined) remembered.delete(oldest);
  }
  remembered.set(token, { claims, issuer });
}

export function rememberedTokenCount(): number {
  return remembered.size;
}
