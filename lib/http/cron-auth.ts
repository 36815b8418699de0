import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** Compares digests, so neither the secret's length nor its prefix leaks through timing. */
function isCronRequest(authorization: string | null): boolean {
  const secret = env().CRON_SECRET;
  if (!secret || !authorization) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(authorization), digest(`Bearer ${secret}`));
}

/**
 * The gate of every /api/cron/* route. Vercel Cron calls GET with
 * `Authorization: Bearer $CRON_SECRET`; without CRON_SECRET the routes do not
 * exist (404), and a request without the secret is refused (401).
 */
export function requireCronRequest(request: Request): void {
  if (!env().CRON_SECRET) throw new AppError("notFound");
  if (!isCronRequest(request.headers.get("authorization"))) throw new AppError("unauthenticated");
}
