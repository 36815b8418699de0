import { NextResponse, type NextRequest } from "next/server";
import { readDeviceCookie, setDeviceCookie } from "@/lib/auth/sessions/device-cookie";
import { logIn } from "@/lib/auth/passwords/login";
import { LoginInput } from "@/lib/auth/schemas";
import { setSessionCookies } from "@/lib/auth/sessions/session-cookies";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const input = await readJson(request, LoginInput);
  const meta = await clientMeta(request.headers);
  const signedIn = await logIn(input, { kind: "browser", meta, deviceCookie: readDeviceCookie(request.cookies) });
  scheduleEmailDelivery();
  const response = NextResponse.json({ user: signedIn.user }, { headers: { "Cache-Control": "no-store" } });
  setSessionCookies(response.cookies, signedIn);
  await setDeviceCookie(response.cookies, input.email.canonical);
  return response;
});
