import { NextResponse, type NextRequest } from "next/server";
import { cookieNames, cookieOptions } from "@/lib/auth/edge/cookies";
import { verifyAccessToken } from "@/lib/auth/edge/jwt";
import { isApiPath, pathAccess } from "@/lib/auth/edge/protected-paths";
import { appOrigin, env, internalOrigin, isProduction } from "@/lib/env";
import { ERRORS, type ErrorName } from "@/lib/errors";
import { requestIp } from "@/lib/http/client-meta";
import { isCrossSiteRequest } from "@/lib/http/cross-site";
import {
  FORWARDED_IP_HEADER,
  FORWARDED_IP_SIGNATURE_HEADER,
  FORWARDED_REQUEST_ID_SIGNATURE_HEADER,
  signClientIp,
  signRequestId,
} from "@/lib/http/forwarded-client";
import { REQUEST_ID_HEADER, arrivingRequestId } from "@/lib/http/request-id";
import {
  STRICT_TRANSPORT_SECURITY,
  contentSecurityPolicy,
  createNonce,
  staticSecurityHeaders,
} from "@/lib/http/security-headers";
import { parseSetCookie, type SetCookie } from "@/lib/http/set-cookie";
import { isUndecodablePath } from "@/lib/http/undecodable-path";
import { PROTECTION_BYPASS_HEADER } from "@/lib/vercel";

// The middleware: the fast, optimistic gate (see docs/decisions/0002). It
// runs on Node.js, outside Next's edge sandbox (docs/decisions/0023), but
// keeps to what the edge allows: it verifies the access JWT with public keys
// only and never touches the database (tests/repository/middleware-imports.test.ts).
// When the JWT is missing or expired and a refresh cookie is present, it
// asks the app's own refresh route to rotate, then hands the new cookies
// both to this request (so Server Components rendering it see them) and to
// the browser (Set-Cookie on this same response). Every response it lets
// through or makes itself leaves with the security headers (docs/decisions/0007)
// and the request's id (0032).

const REFRESH_PATH = "/api/auth/refresh";
/** A backstop: the refresh route itself answers 503 within REQUEST_DEADLINE_MS. */
const REFRESH_TIMEOUT_MS = 6000;
const PAGE_VIEW_METHODS = new Set(["GET", "HEAD"]);
/** Seconds, when the database cannot be reached (lib/http/respond.ts answers the same). */
const UNAVAILABLE_RETRY_AFTER = "5";

type RefreshOutcome =
  | { kind: "refreshed"; cookies: SetCookie[] }
  | { kind: "ended" }
  | { kind: "unavailable" }
  | { kind: "limited"; retryAfter: string };

export async function middleware(request: NextRequest): Promise<NextResponse> {
  // Overwrites any the client sent; the page or handler logs under it (docs/decisions/0032).
  const requestId = arrivingRequestId(request.headers);
  request.headers.set(REQUEST_ID_HEADER, requestId);
  const https = appOrigin().startsWith("https:");
  const development = env().NODE_ENV === "development";
  // A JSON answer runs no script: the nonce-less policy, and nothing to hand
  // on to a renderer. Pages get a fresh nonce, which Next reads from the
  // request's CSP header and puts on its own scripts.
  const nonce = isApiPath(request.nextUrl.pathname) ? null : createNonce();
  const policy = contentSecurityPolicy({ nonce, development, https });
  if (nonce) request.headers.set("content-security-policy", policy);
  const response = await gate(request, nonce, requestId);

  response.headers.set("X-Request-Id", requestId);
  response.headers.set("Content-Security-Policy", policy);
  for (const [name, value] of Object.entries(staticSecurityHeaders(request.nextUrl.pathname))) {
    response.headers.set(name, value);
  }
  if (https && isProduction()) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

async function gate(request: NextRequest, nonce: string | null, requestId: string): Promise<NextResponse> {
  const { pathname } = request.nextUrl;
  // Next would answer it with a bare 500 (lib/http/undecodable-path.ts).
  if (isUndecodablePath(pathname)) return errorJson("invalidRequest");
  // What this request carries on to the page or route handler as it came, but
  // for its id and, on pages, the nonce's CSP header.
  const onward = () => passThrough(request);
  // Protected unless listed (lib/auth/edge/protected-paths.ts, docs/decisions/0028).
  const reach = pathAccess(pathname);
  // A public route reads no session (the refresh route, called from here,
  // included): a cookie that came along is not its to rotate or clear.
  if (reach === "publicRoute") return onward();
  // Pages accept POST only for server actions. Next refuses a foreign Origin
  // there itself, but with a 500; the contract's one rule answers every
  // cross-site page POST here, 403, before any action runs (decision 0005).
  // Each action still calls assertSameSite; route handlers check for themselves.
  if (!isApiPath(pathname) && !PAGE_VIEW_METHODS.has(request.method) && isCrossSiteRequest(request.headers, appOrigin())) {
    return errorJson("crossSite");
  }

  const names = cookieNames();
  const access = await verifyAccessToken(request.cookies.get(names.access)?.value);
  if (access.ok) return onward();

  const isProtected = reach === "protected";
  // Native clients send a Bearer token and no cookies: the route handler decides.
  if (isApiPath(pathname) && request.headers.has("authorization")) return onward();
  // Only a request that reads the session refreshes it: a protected path, or a
  // public page's view (e.g. /login sending a signed-in user on). The public
  // pages' server actions sign in, verify and sign out: they start or end
  // sessions themselves, and a refresh there would rotate whatever refresh
  // cookie came along, a planted one included, and answer with two Set-Cookie
  // lines per cookie (RFC 6265 §4.1.1: servers should send one).
  if (!isProtected && !PAGE_VIEW_METHODS.has(request.method)) return onward();
  if (!request.cookies.get(names.refresh)?.value) return isProtected ? turnAway(request) : onward();

  const outcome = await refreshThroughApp(request, requestId);
  if (outcome.kind === "refreshed") {
    for (const cookie of outcome.cookies) request.cookies.set(cookie.name, cookie.value);
    const response = passThrough(request);
    for (const cookie of outcome.cookies) response.cookies.set(cookie.name, cookie.value, cookieOptions(cookie.maxAge));
    return response;
  }
  if (outcome.kind === "unavailable" || outcome.kind === "limited") {
    // Contract invariant 8: keep the cookies, say "try again", never "sign in".
    return isProtected ? tryAgainLater(nonce, requestId, outcome) : onward();
  }
  request.cookies.delete(names.access);
  request.cookies.delete(names.refresh);
  const response = isProtected ? turnAway(request) : passThrough(request);
  response.cookies.set(names.access, "", cookieOptions(0));
  response.cookies.set(names.refresh, "", cookieOptions(0));
  return response;
}

/**
 * On to the page or route handler, with this request's headers as changed
 * here (its id, the CSP nonce, refreshed or dropped cookies): a bare
 * NextResponse.next() would drop them (docs/decisions/0002). Next copies
 * every header to hand them on; the request id is worth that (0032).
 */
function passThrough(request: NextRequest): NextResponse {
  return NextResponse.next({ request });
}

async function refreshThroughApp(request: NextRequest, requestId: string): Promise<RefreshOutcome> {
  // The refresh logs under this request's id, vouched for as the IP is.
  const headers = new Headers({
    cookie: request.headers.get("cookie") ?? "",
    [REQUEST_ID_HEADER]: requestId,
    [FORWARDED_REQUEST_ID_SIGNATURE_HEADER]: await signRequestId(requestId),
  });
  const userAgent = request.headers.get("user-agent");
  if (userAgent) headers.set("user-agent", userAgent);
  const ip = requestIp(request.headers);
  if (ip) {
    headers.set(FORWARDED_IP_HEADER, ip);
    headers.set(FORWARDED_IP_SIGNATURE_HEADER, await signClientIp(ip));
  }
  // A Vercel deployment behind Deployment Protection would answer its own call with a login page.
  const bypass = env().VERCEL_AUTOMATION_BYPASS_SECRET;
  if (bypass) headers.set(PROTECTION_BYPASS_HEADER, bypass);
  try {
    // INTERNAL_URL, never the request's own origin: the request carries the
    // user's cookies, and its Host/X-Forwarded-* headers are the client's to choose.
    const response = await fetch(`${internalOrigin()}${REFRESH_PATH}`, {
      method: "POST",
      headers,
      cache: "no-store",
      redirect: "manual",
      signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS),
    });
    if (response.status === 200) {
      const names = cookieNames();
      const cookies = response.headers
        .getSetCookie()
        .map(parseSetCookie)
        .filter((c): c is SetCookie => c !== null && (c.name === names.access || c.name === names.refresh));
      return cookies.length === 2 ? { kind: "refreshed", cookies } : { kind: "unavailable" };
    }
    if (response.status === 401) return { kind: "ended" };
    // This address has spent its refresh allowance (lib/auth/limits/ip-limits.ts): nothing is wrong with the session.
    if (response.status === 429) return { kind: "limited", retryAfter: response.headers.get("retry-after") ?? UNAVAILABLE_RETRY_AFTER };
    return { kind: "unavailable" };
  } catch {
    return { kind: "unavailable" };
  }
}

function turnAway(request: NextRequest): NextResponse {
  if (isApiPath(request.nextUrl.pathname)) return errorJson("unauthenticated");
  const login = new URL("/login", request.url);
  login.search = new URLSearchParams({ next: `${request.nextUrl.pathname}${request.nextUrl.search}` }).toString();
  return NextResponse.redirect(login, 303);
}

/** The contract's error shape, from the same catalogue the route handlers use. */
function errorJson(kind: ErrorName, headers: Record<string, string> = {}): NextResponse {
  const { status, code, message } = ERRORS[kind];
  return NextResponse.json({ error: { code, message } }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

const TRY_AGAIN_PAGES = {
  unavailable: {
    error: "unavailable",
    title: "Temporarily unavailable",
    text: "We could not reach our database to keep you signed in. You are still signed in: try again in a few seconds.",
  },
  limited: {
    error: "rateLimited",
    title: "Too many requests",
    text: "Too many requests to stay signed in have come from your network. You are still signed in: try again in a little while.",
  },
} as const satisfies Record<string, { error: ErrorName; title: string; text: string }>;

/** The refresh could not be done now, through no fault of the session: 503 or 429, cookies kept. */
function tryAgainLater(
  nonce: string | null,
  requestId: string,
  outcome: Extract<RefreshOutcome, { kind: "unavailable" | "limited" }>,
): NextResponse {
  const { error, title, text } = TRY_AGAIN_PAGES[outcome.kind];
  const headers = { "Retry-After": outcome.kind === "limited" ? outcome.retryAfter : UNAVAILABLE_RETRY_AFTER, "Cache-Control": "no-store" };
  // API paths get no nonce and no page.
  if (nonce === null) return errorJson(error, headers);
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
    // The CSP allows inline styles only with this request's nonce.
    `<title>${title}</title><style nonce="${nonce}">` +
    "body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1.5rem;color:#18181b}</style></head><body>" +
    `<h1>${title}</h1><p>${text}</p><p><a href="">Try again</a></p>` +
    // Well formed by construction (lib/http/request-id.ts): nothing to escape.
    `<p>Reference: <code>${requestId}</code></p></body></html>`;
  return new NextResponse(html, { status: ERRORS[error].status, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" } });
}

export const config = {
  // The edge sandbox cost a third of a sign-in redirect's time (docs/decisions/0023); "edge" still works.
  runtime: "nodejs",
  matcher: [
    {
      source: "/((?!api/auth/refresh|_next/static|_next/image|favicon.ico).*)",
      // Prefetches skip the middleware: they must not rotate tokens or
      // redirect. The data access layer still guards what they render.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
