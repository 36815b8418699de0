import { NextResponse, type NextRequest } from "next/server";
import { authenticateLive } from "@/lib/auth/dal";
import { logOutEverywhere } from "@/lib/auth/sessions/devices";
import { clearSessionCookies } from "@/lib/auth/sessions/session-cookies";
import { clientMeta } from "@/lib/http/client-meta";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { claims } = await authenticateLive(request);
  await logOutEverywhere(claims.sub, await clientMeta(request.headers));
  const response = new NextResponse(null, { status: 204 });
  clearSessionCookies(response.cookies);
  return response;
});
