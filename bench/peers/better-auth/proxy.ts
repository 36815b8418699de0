import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";

// Better Auth's optimistic gate for Next.js 16: a request with no session
// cookie at all goes to /login before any rendering. It does not check that
// the cookie is valid; the page does (auth.api.getSession).
export function proxy(request: NextRequest): NextResponse {
  if (!getSessionCookie(request)) return NextResponse.redirect(new URL("/login", request.url));
  return NextResponse.next();
}

export const config = { matcher: ["/dashboard"] };
