import { NextResponse, type NextRequest } from "next/server";
import { refreshBrowserSession } from "@/lib/auth/refresh";
import { clearSessionCookies, readRefreshCookie, setSessionCookies } from "@/lib/auth/session-cookies";
import { AppError } from "@/lib/errors";
import { clientMeta } from "@/lib/http/client-meta";
import { errorResponse, route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

// Called by browsers and, on their behalf, by the edge middleware (which
// forwards the Cookie header and never unseals anything itself).
export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const presented = readRefreshCookie(request.cookies);
  const result = presented ? await refreshBrowserSession(presented, await clientMeta(request.headers)) : null;
  if (!result) {
    const response = errorResponse(new AppError("invalidSession"));
    clearSessionCookies(response.cookies);
    return response;
  }
  // no-transform: `npm start` would otherwise gzip these few dozen bytes, at
  // more CPU than the rest of the answer costs (docs/decisions/0022).
  const response = NextResponse.json(
    { expiresAt: result.access.expiresAt.toISOString() },
    { headers: { "Cache-Control": "no-store, no-transform" } },
  );
  setSessionCookies(response.cookies, result);
  return response;
});
