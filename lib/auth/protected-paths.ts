// Edge-safe. Which paths the middleware turns away when nobody is signed in.
// This is only the optimistic gate: each of these pages and handlers checks
// again through lib/auth/dal.ts.

const PROTECTED_PAGES = ["/dashboard", "/account", "/admin"];
const PROTECTED_APIS = ["/api/me", "/api/auth/session", "/api/auth/sessions", "/api/auth/logout-all", "/api/auth/change-password", "/api/admin"];

const under = (pathname: string, base: string) => pathname === base || pathname.startsWith(`${base}/`);

export function isApiPath(pathname: string): boolean {
  return under(pathname, "/api");
}

export function isProtectedPath(pathname: string): boolean {
  return [...PROTECTED_PAGES, ...PROTECTED_APIS].some((base) => under(pathname, base));
}
