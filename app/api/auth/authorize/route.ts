import type { NextRequest } from "next/server";
import { browserSessionUser } from "@/lib/auth/dal";
import { authorizationErrorRedirect, issueAuthorizationCode, signInFirst } from "@/lib/auth/native/authorize";
import { readAuthorizationRequest } from "@/lib/auth/native/authorization-request";
import { isNavigation } from "@/lib/http/navigation";
import { route } from "@/lib/http/respond";

// The authorization endpoint for Doorman's own native apps (RFC 6749 §4.1,
// RFC 8252, PKCE S256 required): the app opens it in the system browser and
// gets a code at its registered redirect URI. A public route (it reads the
// session itself, from the cookie only): the middleware neither refreshes
// nor turns away here, so a signed-out or expired browser goes to /login,
// which refreshes or signs in and comes back (docs/decisions/0034).

export const GET = route(async (request: NextRequest) => {
  const read = readAuthorizationRequest(request.nextUrl.searchParams);
  if (read.kind === "unverifiable") return refusalPage(read.message);
  if (read.kind === "error") return seeOther(authorizationErrorRedirect(read));
  // A code is only for a browser tab the app opened. A script's fetch, a
  // prefetch, or Next rendering a server action's redirect ahead of the
  // browser (which then navigates here itself) would mint codes nobody
  // receives; Next's server-side fetch would also try to follow one to the app's scheme.
  if (!isNavigation(request.headers)) return refusalPage("Open this address in the browser: it answers navigations only.");
  const user = await browserSessionUser(request);
  if (!user) return seeOther(signInFirst(`${request.nextUrl.pathname}${request.nextUrl.search}`));
  return seeOther(await issueAuthorizationCode(read.request, user.live));
});

const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { ...NO_STORE, Location: location } });
}

/**
 * RFC 6749 §4.1.2.1: never redirect to an address we cannot vouch for. A
 * person is looking at this browser tab, so a page, not JSON; the message is
 * one of ours, nothing from the request is echoed.
 */
function refusalPage(message: string): Response {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
    // The app's icon, or the browser asks for /favicon.ico, which nothing serves.
    '<link rel="icon" href="/icon.svg"><title>Sign-in request refused</title></head><body><h1>Sign-in request refused</h1>' +
    `<p>${message}</p><p>Close this window and try again from the app. If it keeps happening, the app is misconfigured.</p></body></html>`;
  return new Response(html, { status: 400, headers: { ...NO_STORE, "Content-Type": "text/html; charset=utf-8" } });
}
