import { appOrigin } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { isCrossSiteRequest } from "@/lib/http/cross-site";

/** Every state-changing handler and action calls this first (login CSRF included). */
export function assertSameSite(headers: Headers): void {
  if (isCrossSiteRequest(headers, appOrigin())) throw new AppError("crossSite");
}
