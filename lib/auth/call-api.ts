import "server-only";
import { cookies } from "next/headers";
import { readAccessCookie } from "@/lib/auth/session-cookies";
import { env, internalOrigin } from "@/lib/env";

/**
 * The BFF calling an API on behalf of the signed-in user, from a Server
 * Component or server action: Doorman's own API routes (a path) or a backend
 * listed in DOWNSTREAM_API_ORIGINS (a full URL), with the user's access token
 * as `Authorization: Bearer`. The middleware has already refreshed an expired
 * token for this request, so the cookie holds a current one.
 *
 * The token never goes to an origin that is not on the list: a URL built from
 * user input cannot make the server hand it to someone else.
 */
export async function callApi(target: string, init: RequestInit = {}): Promise<Response> {
  const url = resolveApiTarget(target);
  const token = readAccessCookie(await cookies());
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  // Our own routes see the request as coming from this server, not a browser: no cookies, no Origin.
  return fetch(url, { ...init, headers, cache: "no-store", redirect: "manual" });
}

export class UnlistedApiOriginError extends Error {
  override name = "UnlistedApiOriginError";
}

export function resolveApiTarget(target: string): URL {
  if (target.startsWith("/") && !target.startsWith("//") && !target.startsWith("/\\")) return new URL(target, internalOrigin());
  const url = URL.canParse(target) ? new URL(target) : null;
  if (!url || !env().DOWNSTREAM_API_ORIGINS.includes(url.origin)) {
    throw new UnlistedApiOriginError(`Not calling ${url?.origin ?? "an unparseable URL"}: add it to DOWNSTREAM_API_ORIGINS first.`);
  }
  return url;
}
