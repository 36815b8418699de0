import type { SsoErrorCode } from "@/lib/auth/sso/sso-error";
import { appOrigin } from "@/lib/env";

/** Where a refused sign-in with a provider ends: /login, saying why, still headed for `next`. */
export function loginErrorUrl(code: SsoErrorCode, next: string): URL {
  const url = new URL("/login", appOrigin());
  url.searchParams.set("error", code);
  if (next !== "/dashboard") url.searchParams.set("next", next);
  return url;
}

/** Where a refused link ends: the account page, saying why. */
export function accountErrorUrl(code: SsoErrorCode): URL {
  const url = new URL("/account", appOrigin());
  url.searchParams.set("sso_error", code);
  return url;
}
