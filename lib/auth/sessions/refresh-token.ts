import { createHash, createHmac, randomBytes } from "node:crypto";
import { sealIron, unsealIron } from "@/lib/auth/iron-seal";
import { authSecret } from "@/lib/env";

// The refresh credential: 256 random bits, stored only as its SHA-256 hash.

export function newRefreshToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashToken(raw: string): string {
  return createHash("sha256").update(raw, "utf8").digest("hex");
}

/**
 * The successor of a token is a keyed function of it. Concurrent refreshes that
 * present the same token inside the grace window can therefore all be handed
 * the one successor (contract invariant 3) while the database still holds
 * nothing but hashes: only someone holding both the parent token and the
 * server's secret can compute the child.
 */
export function successorOf(raw: string): string {
  return createHmac("sha256", `doorman/refresh-successor/v1/${authSecret()}`).update(raw, "utf8").digest("base64url");
}

type SealedRefresh = { rt: string };

/** The refresh cookie's value: iron-session's seal, made on node:crypto (lib/auth/iron-seal.ts). */
export function sealRefreshToken(raw: string, ttlSeconds: number): string {
  return sealIron({ rt: raw } satisfies SealedRefresh, authSecret(), ttlSeconds);
}

/** Null for anything that is not a cookie we sealed (tampered, swapped, expired, foreign). */
export function unsealRefreshToken(sealed: string | undefined): string | null {
  if (!sealed || sealed.length > 4096) return null;
  const data = unsealIron(sealed, authSecret()) as Partial<SealedRefresh> | null | undefined;
  return typeof data?.rt === "string" && data.rt.length > 0 ? data.rt : null;
}
