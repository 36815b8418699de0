import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/** Compares digests, so neither the secret's length nor its prefix leaks through timing. */
export function isCronRequest(authorization: string | null): boolean {
  const secret = env().CRON_SECRET;
  if (!secret || !authorization) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(authorization), digest(`Bearer ${secret}`));
}
