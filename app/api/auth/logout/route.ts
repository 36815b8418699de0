import { NextResponse, type NextRequest } from "next/server";
import { verifyAccessToken } from "@/lib/auth/edge/jwt";
import { logOut } from "@/lib/auth/sessions/logout";
import { clearSessionCookies, readAccessCookie, readRefreshCookie } from "@/lib/auth/sessions/session-cookies";
import { clientMeta } from "@/lib/http/client-meta";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const access = await verifyAccessToken(readAccessCookie(request.cookies));
  await logOut(
    { refreshToken: readRefreshCookie(request.cookies), sessionId: access.ok ? access.claims.sid : null },
    await clientMeta(request.headers),
  );
  const response = new NextResponse(null, { status: 204 });
  clearSessionCookies(response.cookies);
  return response;
});
