import { refreshBrowserSession } from "@/lib/auth/sessions/refresh";
import { clearSessionCookies, readRefreshCookie, setSessionCookies } from "@/lib/auth/sessions/session-cookies";
import { AppError } from "@/lib/errors";
import { clientMeta } from "@/lib/http/client-meta";
import { nodeRoute } from "@/lib/http/node-route";
import { errorReply } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

// POST /api/auth/refresh, called by browsers and, on their behalf, by the
// middleware (which forwards the Cookie header and never unseals anything
// itself). A Pages Router API route, the app's only one: docs/decisions/0025.

/** It reads no body: none is parsed, whatever is sent. */
export const config = { api: { bodyParser: false } };

export default nodeRoute("POST", async (request, cookies) => {
  assertSameSite(request.headers);
  const presented = readRefreshCookie(request.cookies);
  const result = presented ? await refreshBrowserSession(presented, await clientMeta(request.headers)) : null;
  if (!result) {
    clearSessionCookies(cookies);
    return errorReply(new AppError("invalidSession"));
  }
  setSessionCookies(cookies, result);
  // no-transform: `npm start` would otherwise gzip these few dozen bytes, at
  // more CPU than the rest of the answer costs (docs/decisions/0022).
  return { status: 200, body: { expiresAt: result.access.expiresAt.toISOString() }, headers: { "Cache-Control": "no-store, no-transform" } };
});
