// Edge-safe. Protected unless listed here (docs/decisions/0028): every other
// page and route, an address that matches nothing included, is one the
// middleware refreshes an expired token for and turns a signed-out visitor
// away from (a page to /login?next=, an API with 401 JSON). A page added
// under app/(signed-in)/ needs no edit; a public one is added here, on
// purpose. tests/repository/protected-paths.test.ts holds these lists to the
// app's files. This is only the optimistic gate: every protected page,
// handler and action asks lib/auth/dal.ts again.

/**
 * Pages anyone may open, each exactly this path. A page view here still
 * refreshes an expired token, so /login can send a signed-in user on and the
 * home page can name them.
 */
export const PUBLIC_PAGES = ["/", "/login", "/login/second-factor", "/signup", "/forgot-password", "/reset-password", "/verify-email", "/dev/mailbox"] as const;

/**
 * Routes that read no session cookie, each with every path below it: they
 * start or end a session themselves, take a native client's tokens or their
 * own secret (`CRON_SECRET`), or serve files; the authorization endpoint
 * reads the session itself and sends a signed-out browser to /login. The middleware neither refreshes
 * nor turns away a request here: a refresh would rotate whatever refresh
 * cookie came along, a planted one included, for an answer that ignores it.
 */
export const PUBLIC_ROUTES = [
  "/api/auth/signup",
  "/api/auth/verify-email",
  "/api/auth/resend-verification",
  // With /api/auth/login/second-factor, which reads the pending sign-in's own sealed cookie, no session.
  "/api/auth/login",
  // Passkey sign-in: the ceremony's own sealed cookie, not a session, ties it to the browser (lib/auth/passkeys/ceremony-cookie.ts).
  "/api/auth/passkeys/sign-in-options",
  "/api/auth/passkeys/sign-in",
  "/api/auth/logout",
  "/api/auth/forgot-password",
  "/api/auth/reset-password",
  "/api/auth/token",
  // Single sign-on: out to a provider and back. The flow's own sealed cookie,
  // not the session, says who a link is for (lib/auth/sso/flow-cookie.ts).
  "/api/auth/oidc",
  "/api/auth/revoke",
  // Native apps' sign-in through the browser: it reads the session itself, from the cookie (lib/auth/dal.ts).
  "/api/auth/authorize",
  // The middleware calls it itself: gating it would recurse.
  "/api/auth/refresh",
  "/api/cron",
  // Load balancers' probes (docs/decisions/0026).
  "/api/health",
  "/.well-known/jwks.json",
  "/icon.svg",
  // The framework's own files and endpoints.
  "/_next",
] as const;

export type PathAccess = "protected" | "publicPage" | "publicRoute";

const under = (pathname: string, base: string) => pathname === base || pathname.startsWith(`${base}/`);

const publicPages: ReadonlySet<string> = new Set(PUBLIC_PAGES);

export function pathAccess(pathname: string): PathAccess {
  if (publicPages.has(pathname)) return "publicPage";
  if (PUBLIC_ROUTES.some((base) => under(pathname, base))) return "publicRoute";
  return "protected";
}

export function isProtectedPath(pathname: string): boolean {
  return pathAccess(pathname) === "protected";
}

export function isApiPath(pathname: string): boolean {
  return under(pathname, "/api");
}
