import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { verifyAccessToken, type AccessClaims } from "@/lib/auth/jwt";
import { readAccessCookie } from "@/lib/auth/session-cookies";
import { findLiveSession, type LiveSession } from "@/lib/auth/session";
import { getDb } from "@/db/client";
import { isDatabaseUnavailable } from "@/db/errors";
import { withDatabaseDeadline } from "@/lib/deadline";
import { AppError } from "@/lib/errors";
import { safeNextPath } from "@/lib/http/safe-redirect";

// The data access layer: the one way in for "who is asking". The middleware is
// only an optimistic gate; every page, route handler and server action asks
// here again, so a request that slipped past the middleware sees nothing.

export type CurrentSession =
  | { status: "authenticated"; claims: AccessClaims; via: "cookie" | "bearer" }
  | { status: "anonymous" }
  /** The JWT verifies but its session was revoked, expired or its user disabled. */
  | { status: "ended" };

/** Cookie first; `Authorization: Bearer` for native clients. Never a query string. */
async function identify(accessCookie: string | null, authorization: string | null): Promise<CurrentSession> {
  const bearer = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? "")?.[1] ?? null;
  for (const [token, via] of [
    [accessCookie, "cookie"],
    [bearer, "bearer"],
  ] as const) {
    if (!token) continue;
    const result = await verifyAccessToken(token);
    if (result.ok) return (await isRevoked(result.claims)) ? { status: "ended" } : { status: "authenticated", claims: result.claims, via };
  }
  return { status: "anonymous" };
}

/** Pages must still render from a valid JWT while the database is silent. */
const LIVENESS_DEADLINE_MS = 2000;

/**
 * A session revoked from another device ends on that device's next request,
 * not when its access token runs out. If the database cannot be reached the
 * verified JWT stands (contract invariant 8: valid tokens keep pages working).
 */
async function isRevoked(claims: AccessClaims): Promise<boolean> {
  try {
    const live = await withDatabaseDeadline(
      getDb().then((db) => findLiveSession(db, claims.sid, new Date())),
      LIVENESS_DEADLINE_MS,
    );
    return !live || live.userId !== claims.sub;
  } catch (error) {
    if (isDatabaseUnavailable(error)) return false;
    throw error;
  }
}

/** For Server Components and server actions; cached for one render. */
export const getCurrentSession = cache(async (): Promise<CurrentSession> => {
  const [jar, headerList] = await Promise.all([cookies(), headers()]);
  return identify(readAccessCookie(jar), headerList.get("authorization"));
});

/** Pages: the signed-in user's claims, or a redirect to sign in that comes back here. */
export async function requireUser(returnTo: string): Promise<AccessClaims> {
  const session = await getCurrentSession();
  if (session.status !== "authenticated") redirect(`/login?next=${encodeURIComponent(safeNextPath(returnTo))}`);
  return session.claims;
}

/** Sign-in and sign-up pages send signed-in people on to where they were going. */
export async function requireAnonymous(next = "/dashboard"): Promise<void> {
  const session = await getCurrentSession();
  if (session.status === "authenticated") redirect(safeNextPath(next));
}

/** Route handlers: same rule, read from the request itself. */
export async function authenticate(request: NextRequest): Promise<AccessClaims> {
  const session = await identify(readAccessCookie(request.cookies), request.headers.get("authorization"));
  if (session.status === "ended") throw new AppError("invalidSession");
  if (session.status !== "authenticated") throw new AppError("unauthenticated");
  return session.claims;
}

/** Sensitive operations: the JWT verifies AND the session is still live in the database. */
export async function requireLiveSession(claims: AccessClaims, now = new Date()): Promise<LiveSession> {
  const live = await findLiveSession(await getDb(), claims.sid, now);
  if (!live || live.userId !== claims.sub) throw new AppError("invalidSession");
  return live;
}
