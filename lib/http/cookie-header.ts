// The Cookie and Set-Cookie headers for Node's own request and response
// (lib/http/node-route.ts), written the way NextRequest and NextResponse read
// and write them, so both kinds of route see and set the same cookies
// (lib/http/cookie-header.test.ts holds them side by side).

export type CookieReader = { get(name: string): { value: string } | undefined };

export type SetCookieOptions = {
  path: string;
  maxAge: number;
  httpOnly: boolean;
  secure: boolean;
  sameSite: "lax" | "strict" | "none";
};

/**
 * Pairs split on `;`, values percent-decoded (a pair that does not decode is
 * skipped), and for a name sent twice the last one wins, as in NextRequest:
 * the middleware and the route that follows it pick the same cookie.
 */
export function parseCookieHeader(header: string | undefined): CookieReader {
  const values = new Map<string, string>();
  for (const pair of (header ?? "").split(/; */)) {
    if (!pair) continue;
    const at = pair.indexOf("=");
    if (at === -1) {
      // A bare name reads as "true" there: odd, kept for the sameness.
      values.set(pair, "true");
      continue;
    }
    try {
      values.set(pair.slice(0, at), decodeURIComponent(pair.slice(at + 1)));
    } catch {
      // Not percent-encoding: NextRequest drops it too.
    }
  }
  return { get: (name) => (values.has(name) ? { value: values.get(name)! } : undefined) };
}

/** One Set-Cookie line; Expires beside Max-Age for the browsers that only know Expires. */
export function serializeSetCookie(name: string, value: string, options: SetCookieOptions, now = Date.now()): string {
  const attributes = [
    `Path=${options.path}`,
    options.maxAge > 0 && `Expires=${new Date(now + options.maxAge * 1000).toUTCString()}`,
    `Max-Age=${options.maxAge}`,
    options.secure && "Secure",
    options.httpOnly && "HttpOnly",
    `SameSite=${options.sameSite}`,
  ].filter(Boolean);
  return `${name}=${encodeURIComponent(value)}; ${attributes.join("; ")}`;
}
