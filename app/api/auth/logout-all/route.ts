import { NextResponse, type NextRequest } from "next/server";
import { authorize } from "@/lib/auth/dal";
import { logOutEverywhere } from "@/lib/auth/sessions/devices";
import { clearSessionCookies } from "@/lib/auth/sessions/session-cookies";
import { clientMeta } from "@/lib/http/client-meta";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  // With an API key (`sessions:write`) every session ends; keys are not sessions and stay.
  const caller = await authorize(request, "sessions:write");
  await logOutEverywhere(caller.userId, await clientMeta(request.headers));
  const response = new NextResponse(null, { status: 204 });
  clearSessionCookies(response.cookies);
  return response;
});
