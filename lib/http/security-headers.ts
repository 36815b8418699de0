// Security headers (SECURITY.md "Next.js specifics"), edge-safe: no Node
// built-ins and no lib/env import, so next.config.ts can use it at build time
// and the middleware passes in what it read from the configuration.
// Why a nonce and why in the middleware: docs/decisions/0007.

/** Pages whose URL carries a one-time token: their Referer must not leak it. */
export const TOKEN_PAGES = ["/verify-email", "/reset-password"];

export type PolicyOptions = {
  /** null: the fallback for responses the middleware never sees (no inline script or style runs). */
  nonce: string | null;
  /** `next dev` evaluates code with eval() and its error overlay injects styles. */
  development: boolean;
  /** APP_URL is https: upgrade stray http sub-resources. */
  https: boolean;
};

/** 128 bits from the Web Crypto CSPRNG, base64: fresh for every request (CSP3 §6.6.3.1). */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy({ nonce, development, https }: PolicyOptions): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // 'strict-dynamic': scripts that Next's nonced scripts load are trusted, so
    // no host list to keep. 'self' is ignored by browsers that know
    // 'strict-dynamic' and kept for CSP2 ones.
    "script-src": ["'self'", ...(nonce ? [`'nonce-${nonce}'`, "'strict-dynamic'"] : []), ...(development ? ["'unsafe-eval'"] : [])],
    // Production styles are stylesheets from 'self'; the nonce covers the few
    // inline <style> elements we write. In development the nonce is left out so
    // that 'unsafe-inline' (ignored next to a nonce) lets the dev overlay style itself.
    "style-src": ["'self'", ...(development ? ["'unsafe-inline'"] : nonce ? [`'nonce-${nonce}'`] : [])],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    ...(https ? { "upgrade-insecure-requests": [] } : {}),
  };
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(" "))
    .join("; ");
}

/**
 * What next.config.ts sends on every path, for the responses the middleware
 * skips (prefetches, static files): the same policy without a nonce, so
 * nothing inline runs there. Where the middleware runs, Next applies its
 * headers after next.config.ts's (the same name replaces the value), so pages
 * get the nonce policy alone (docs/decisions/0007).
 */
export const FALLBACK_CONTENT_SECURITY_POLICY = contentSecurityPolicy({ nonce: null, development: false, https: false });

/**
 * Headers that do not depend on the request or the configuration. next.config.ts
 * sends them on every path (static files included, where the middleware does
 * not run); the middleware sends them too, so the responses it makes itself
 * (redirects, 401, 503) carry them whatever Next does with config headers there.
 */
export function staticSecurityHeaders(pathname: string): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": TOKEN_PAGES.includes(pathname) ? "no-referrer" : "strict-origin-when-cross-origin",
    // frame-ancestors supersedes it; kept for browsers without CSP2.
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  };
}

/** RFC 6797: only over https, and only in production, where APP_URL is the real origin for two years. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";
