import "server-only";
import { cookies } from "next/headers";
import { getCurrentSession } from "@/lib/auth/dal";
import { signDownstreamToken } from "@/lib/auth/edge/jwt";
import { readAccessCookie } from "@/lib/auth/sessions/session-cookies";
import { env, internalOrigin } from "@/lib/env";
import { hasControlOrWhitespace, sameOriginPath } from "@/lib/http/same-origin-path";

/**
 * The BFF calling an API on behalf of the signed-in user, from a Server
 * Component or server action: Doorman's own API routes (a path) or a backend
 * listed in DOWNSTREAM_API_ORIGINS (a full URL), with a token as
 * `Authorization: Bearer`. The middleware has already refreshed an expired
 * token for this request, so the cookie holds a current one.
 *
 * Doorman's own API gets the user's access token. A downstream never does: it
 * gets a token minted for it alone (its origin as the audience, a minute to
 * live), which Doorman refuses, so a downstream that logs or leaks what it
 * receives hands out no access to Doorman (docs/decisions/0016).
 */
export async function callApi(target: string, init: RequestInit = {}): Promise<Response> {
  const { url, audience } = resolveApiTarget(target);
  const token = audience === null ? readAccessCookie(await cookies()) : await downstreamToken(audience);
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  // Our own routes see the request as coming from this server, not a browser: no cookies, no Origin.
  return fetch(url, { ...init, headers, cache: "no-store", redirect: "manual" });
}

/** Minted only for a live session: the downstream trusts it without asking Doorman. */
async function downstreamToken(audience: string): Promise<string | null> {
  const session = await getCurrentSession();
  return session.status === "authenticated" ? signDownstreamToken(session.claims, audience) : null;
}

export class RefusedApiTargetError extends Error {
  override name = "RefusedApiTargetError";
}

/** Where a call goes, and for whom its token is minted: null is Doorman's own API, which takes the user's own token. */
export type ApiTarget = { url: URL; audience: string | null };

/**
 * Judged on the resolved URL, never on the string's prefix: "/\t/evil.example"
 * starts with one slash and resolves to http://evil.example/ (lib/http/same-origin-path.ts).
 */
export function resolveApiTarget(target: string): ApiTarget {
  if (target.startsWith("/")) {
    const url = sameOriginPath(target, internalOrigin());
    if (!url) throw new RefusedApiTargetError(`Not calling ${JSON.stringify(target)}: a path must stay on Doorman's own origin and hold no control characters or whitespace.`);
    return { url, audience: null };
  }
  const url = !hasControlOrWhitespace(target) && URL.canParse(target) ? new URL(target) : null;
  if (!url || !env().DOWNSTREAM_API_ORIGINS.includes(url.origin)) {
    throw new RefusedApiTargetError(`Not calling ${url?.origin ?? "an unparseable URL"}: add it to DOWNSTREAM_API_ORIGINS first.`);
  }
  return { url, audience: url.origin };
}
