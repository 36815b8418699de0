import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { verifyAccessToken, type AccessClaims, type Role } from "@/lib/auth/edge/jwt";
import { readAccessCookie } from "@/lib/auth/sessions/session-cookies";
import { findLiveSession, type LiveSession, type SessionUser } from "@/lib/auth/sessions/session";
import { getDb } from "@/db/client";
import { isDatabaseUnavailable } from "@/db/errors";
import { withDatabaseDeadline } from "@/lib/deadline";
import { AppError, ERRORS } from "@/lib/errors";
import { safeNextPath } from "@/lib/http/safe-redirect";
import { authenticateApiKey } from "@/lib/auth/api-keys/authenticate-api-key";
import { looksLikeApiKey } from "@/lib/auth/api-keys/format";
import { isAdminScope, type ApiKeyScope } from "@/lib/auth/api-keys/scopes";
import { clientMeta } from "@/lib/http/client-meta";
import { requireRecentAuthentication } from "@/lib/auth/step-up/recent-authentication";
import { readAppSettings } from "@/lib/admin/app-settings";
import { hasSecondFactor, signInMethods } from "@/lib/auth/step-up/sign-in-methods";

// The data access layer: the one way in for "who is asking". The middleware is
// only an optimistic gate; every page, route handler and server action asks
// here again, so a request that slipped past the middleware sees nothing.

export type CurrentSession =
  /** `live`: the session's row as read for this request; null when not read or the database was silent. */
  | { status: "authenticated"; claims: AccessClaims; via: "cookie" | "bearer"; live: LiveSession | null }
  | { status: "anonymous" }
  /** The JWT verifies but its session was revoked, expired or its user disabled. */
  | { status: "ended" };

/**
 * The credential of `Authorization: Bearer dmn_…`, well formed or not: an API
 * key, judged by authorize() alone and never taken for a JWT (a JWS compact
 * serialisation begins `eyJ`, never `dmn_`: docs/decisions/0016, 0035).
 */
function presentedApiKey(authorization: string | null): string | null {
  const credential = /^Bearer +(\S+)$/i.exec(authorization ?? "")?.[1] ?? null;
  return credential && looksLikeApiKey(credential) ? credential : null;
}

/**
 * Cookie first; `Authorization: Bearer` for native clients. Never a query
 * string. An API key is not an access token: it is skipped here, so a page
 * ignores it and nothing reads it as a failed JWT.
 */
async function verifiedToken(
  accessCookie: string | null,
  authorization: string | null,
): Promise<{ claims: AccessClaims; via: "cookie" | "bearer" } | null> {
  const candidate = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? "")?.[1] ?? null;
  const bearer = candidate && !looksLikeApiKey(candidate) ? candidate : null;
  for (const [token, via] of [
    [accessCookie, "cookie"],
    [bearer, "bearer"],
  ] as const) {
    if (!token) continue;
    const result = await verifyAccessToken(token);
    if (result.ok) return { claims: result.claims, via };
  }
  return null;
}

/** Pages must still render from a valid JWT while the database is silent. */
const LIVENESS_DEADLINE_MS = 2000;

/**
 * The liveness read: a session revoked from another device ends on that
 * device's next request, not when its access token runs out. One indexed
 * query, which also reads the user as they are now. Null: the session ended.
 */
async function readLiveSession(claims: AccessClaims): Promise<LiveSession | null> {
  const live = await withDatabaseDeadline(
    () => getDb().then((db) => findLiveSession(db, claims.sid, new Date())),
    LIVENESS_DEADLINE_MS,
  );
  return live && live.userId === claims.sub ? live : null;
}

/**
 * `liveness: false` skips the database: only for what a public page shows.
 * If the database cannot be reached the verified JWT stands (contract
 * invariant 8: valid tokens keep pages working).
 */
async function identify(
  accessCookie: string | null,
  authorization: string | null,
  { liveness }: { liveness: boolean },
): Promise<CurrentSession> {
  const verified = await verifiedToken(accessCookie, authorization);
  if (!verified) return { status: "anonymous" };
  let live: LiveSession | null = null;
  if (liveness) {
    try {
      live = await readLiveSession(verified.claims);
      if (!live) return { status: "ended" };
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
    }
  }
  return { status: "authenticated", ...verified, live };
}

/** For Server Components and server actions; cached for one render. */
export const getCurrentSession = cache(async (): Promise<CurrentSession> => {
  const [jar, headerList] = await Promise.all([cookies(), headers()]);
  return identify(readAccessCookie(jar), headerList.get("authorization"), { liveness: true });
});

/**
 * Who the verified access token says is here, without asking the database:
 * for what public pages show (the top bar, the home page's buttons), never
 * for a decision. A public page shows nothing the token does not already
 * carry, so it is not worth a query on every view; protected pages, route
 * handlers and actions use getCurrentSession and its liveness read, so a
 * session ended elsewhere still opens nothing (docs/decisions/0013).
 */
export const getTokenUser = cache(async (): Promise<AccessClaims | null> => {
  const [jar, headerList] = await Promise.all([cookies(), headers()]);
  const session = await identify(readAccessCookie(jar), headerList.get("authorization"), { liveness: false });
  return session.status === "authenticated" ? session.claims : null;
});

/** Pages: the signed-in user's claims, or a redirect to sign in that comes back here. */
export async function requireUser(returnTo: string): Promise<AccessClaims> {
  const session = await getCurrentSession();
  if (session.status !== "authenticated") redirectToSignIn(returnTo);
  return session.claims;
}

/**
 * Server actions and admin pages: as requireUser, and the session must be
 * shown live in the database. If the render's read found the database silent
 * it is read again, and a silent database is now an error, not a pass.
 */
export async function requireLiveUser(returnTo: string): Promise<{ claims: AccessClaims; live: LiveSession }> {
  const session = await getCurrentSession();
  if (session.status !== "authenticated") redirectToSignIn(returnTo);
  const live = session.live ?? (await readLiveSession(session.claims));
  if (!live) redirectToSignIn(returnTo);
  return { claims: session.claims, live };
}

/**
 * Server actions that change how the account is protected (password, second
 * factors, providers, API keys): as requireLiveUser, and the session proved
 * its person within the step-up window, else 403 `reauthentication_required`,
 * which the form answers with a prompt in the page (docs/decisions/0036).
 */
export async function requireRecentUser(returnTo: string): Promise<{ claims: AccessClaims; live: LiveSession }> {
  const signedIn = await requireLiveUser(returnTo);
  requireRecentAuthentication(signedIn.live);
  return signedIn;
}

function redirectToSignIn(returnTo: string): never {
  redirect(`/login?next=${encodeURIComponent(safeNextPath(returnTo))}`);
}

/** Sign-in and sign-up pages send signed-in people on to where they were going. */
export async function requireAnonymous(next = "/dashboard"): Promise<void> {
  const session = await getCurrentSession();
  if (session.status === "authenticated") redirect(safeNextPath(next));
}

/** Routes that take no API key (all but those calling authorize): a key is refused before anything is looked up. */
function refuseApiKey(request: NextRequest): void {
  if (presentedApiKey(request.headers.get("authorization"))) throw new AppError("apiKeyNotAllowed");
}

/** Route handlers: same rule, read from the request itself. */
export async function authenticate(request: NextRequest): Promise<AccessClaims> {
  refuseApiKey(request);
  const session = await identify(readAccessCookie(request.cookies), request.headers.get("authorization"), { liveness: true });
  if (session.status === "ended") throw new AppError("invalidSession");
  if (session.status !== "authenticated") throw new AppError("unauthenticated");
  return session.claims;
}

/**
 * Route handlers that answer with the user's data or change something: the
 * session must be shown live in the database, so a database that cannot be
 * reached is a 503, not a pass. One query for both the check and the user.
 */
export async function authenticateLive(request: NextRequest): Promise<{ claims: AccessClaims; live: LiveSession; via: "cookie" | "bearer" }> {
  refuseApiKey(request);
  const verified = await verifiedToken(readAccessCookie(request.cookies), request.headers.get("authorization"));
  if (!verified) throw new AppError("unauthenticated");
  const live = await readLiveSession(verified.claims);
  if (!live) throw new AppError("invalidSession");
  return { claims: verified.claims, live, via: verified.via };
}

/** Route handlers for sensitive changes: as authenticateLive, and within the step-up window (requireRecentUser). */
export async function authenticateRecent(request: NextRequest): Promise<{ claims: AccessClaims; live: LiveSession; via: "cookie" | "bearer" }> {
  const session = await authenticateLive(request);
  requireRecentAuthentication(session.live);
  return session;
}

/**
 * Route handlers only a browser session may call (creating an API key): the
 * access cookie, live. An API key or a native client's Bearer token gets 403,
 * so a leaked key or app token cannot mint keys that outlive it.
 */
export async function authenticateBrowser(request: NextRequest): Promise<{ claims: AccessClaims; live: LiveSession }> {
  const { claims, live, via } = await authenticateLive(request);
  if (via !== "cookie") throw new AppError("browserSessionRequired");
  return { claims, live };
}

/**
 * Who is calling a route that accepts API keys. `session` is null for a key
 * (a key is not a session), `apiKey` null for a session.
 */
export type Caller = {
  userId: string;
  /** As the database has them now. */
  user: SessionUser;
  role: Role;
  via: "cookie" | "bearer" | "api_key";
  /** `twoFactor`: the session was opened or stepped up with a second factor. */
  session: { id: string; expiresAt: Date; twoFactor: boolean } | null;
  apiKey: { id: string; scopes: ApiKeyScope[]; expiresAt: Date | null } | null;
};

/**
 * The one entry point for routes that accept API keys, each naming the scope
 * it needs (README, "API keys"). `Authorization: Bearer dmn_…` is judged as a
 * key alone, whatever cookie came with it: 401 `invalid_api_key` unless it is
 * well formed, known, unexpired, unrevoked and its owner enabled; 403
 * `insufficient_scope` without the scope; 429 past its rate. Admin scopes
 * work only while the owner is an admin in the database now (403 `forbidden`),
 * so a key never grants more than its owner has. Anything else is a session,
 * live, as authenticateLive, and for admin scopes an admin in the database now.
 */
export async function authorize(request: NextRequest, scope: ApiKeyScope): Promise<Caller> {
  const key = presentedApiKey(request.headers.get("authorization"));
  if (key) {
    const holder = await authenticateApiKey(key, await clientMeta(request.headers));
    if (!holder.scopes.includes(scope)) throw new AppError("insufficientScope");
    if (isAdminScope(scope)) {
      if (holder.role !== "admin") throw new AppError("forbidden");
      await requireKeyOwnerSecondFactor(holder.user.id);
    }
    return {
      userId: holder.user.id,
      user: holder.user,
      role: holder.role,
      via: "api_key",
      session: null,
      apiKey: { id: holder.keyId, scopes: holder.scopes, expiresAt: holder.expiresAt },
    };
  }
  const session = await authenticateLive(request);
  if (isAdminScope(scope)) await adminOnly(session, { change: scope === "admin:write" });
  return {
    userId: session.live.userId,
    user: session.live.user,
    role: session.live.role,
    via: session.via,
    session: { id: session.live.id, expiresAt: session.live.expiresAt, twoFactor: session.live.twoFactor },
    apiKey: null,
  };
}

/**
 * The authorization endpoint (lib/auth/native/): who is signed in in this
 * browser, from the access cookie alone, never a Bearer token (an app must
 * not turn its own token into a code for another), and shown live in the
 * database. Null sends the visitor to /login, whose page refreshes an expired
 * token and comes straight back. A database that cannot be reached is an
 * error (503), not a pass.
 */
export async function browserSessionUser(request: NextRequest): Promise<{ claims: AccessClaims; live: LiveSession } | null> {
  const verified = await verifiedToken(readAccessCookie(request.cookies), null);
  if (!verified) return null;
  const live = await readLiveSession(verified.claims);
  return live ? { claims: verified.claims, live } : null;
}

/**
 * Admin rights: the session is live AND the user is an admin in the database
 * now, so an admin demoted a moment ago is refused at once, whatever role
 * their access JWT still claims. Both must say admin: a JWT that says "user"
 * only ever withholds rights, and every role change ends the user's
 * sessions, so a promoted user signs in again and gets an "admin" JWT.
 * Then the run-time policy: with "require a second factor for admins" on,
 * only a two-factor session has admin rights. A change (`change`) also wants
 * the step-up window (docs/decisions/0036).
 */
async function adminOnly({ claims, live }: { claims: AccessClaims; live: LiveSession }, { change }: { change: boolean }): Promise<AccessClaims> {
  if (claims.role !== "admin" || live.role !== "admin") throw new AppError("forbidden");
  if (!live.twoFactor && (await readAppSettings(await getDb())).requireAdminSecondFactor) throw new AppError("adminSecondFactorRequired");
  if (change) requireRecentAuthentication(live);
  return claims;
}

/**
 * A key is not a session and proves no second factor itself; with the policy
 * on, admin scopes work only while their owner has one enrolled, so an admin
 * who never set one up cannot keep admin rights through a key.
 */
async function requireKeyOwnerSecondFactor(userId: string): Promise<void> {
  const db = await getDb();
  if (!(await readAppSettings(db)).requireAdminSecondFactor) return;
  if (!hasSecondFactor(await signInMethods(db, userId))) throw new AppError("adminSecondFactorRequired");
}

/** Admin server actions (every one a change): a redirect to sign in, then 403 `forbidden` for anyone but an admin, then the policy and the step-up window. */
export async function requireAdmin(returnTo: string): Promise<{ claims: AccessClaims; live: LiveSession }> {
  const signedIn = await requireLiveUser(returnTo);
  await adminOnly(signedIn, { change: true });
  return signedIn;
}

/**
 * Admin pages: anonymous visitors sign in and come back; everyone else who is
 * not an admin gets the ordinary not-found page, so the console is not
 * advertised. An admin held back by the second-factor policy is sent to set
 * one up. A database that cannot be reached is left for the page to report.
 */
export async function requireAdminPage(returnTo: string): Promise<AccessClaims> {
  try {
    return await adminOnly(await requireLiveUser(returnTo), { change: false });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === ERRORS.adminSecondFactorRequired.code) redirect("/account?notice=admin_second_factor");
    if (error.code === ERRORS.forbidden.code) notFound();
    throw error;
  }
}
