// Edge-safe. Which paths the middleware turns away when nobody is signed in,
// and which it leaves alone. This is only the optimistic gate: each protected
// page and handler checks again through lib/auth/dal.ts.

const PROTECTED_PAGES = ["/dashboard", "/account", "/admin"];
const PROTECTED_APIS = ["/api/me", "/api/auth/session", "/api/auth/sessions", "/api/auth/logout-all", "/api/auth/change-password", "/api/admin"];

/** Health probes (app/api/health, docs/decisions/0026) read no session. */
const PROBES = "/api/health";

const under = (pathname: string, base: string) => pathname === base || pathname.startsWith(`${base}/`);

export function isApiPath(pathname: string): boolean {
  return under(pathname, "/api");
}

export function isProtectedPath(pathname: string): boolean {
  return [...PROTECTED_PAGES, ...PROTECTED_APIS].some((base) => under(pathname, base));
}

/** A load balancer's or orchestrator's probe: no session to refresh, nobody to turn away. */
export function isProbePath(pathname: string): boolean {
  return under(pathname, PROBES);
}
