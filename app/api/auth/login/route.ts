import { NextResponse, type NextRequest } from "next/server";
import { readDeviceCookie, setDeviceCookie } from "@/lib/auth/sessions/device-cookie";
import { logIn } from "@/lib/auth/passwords/login";
import { LoginInput } from "@/lib/auth/schemas";
import { setPendingSignInCookie } from "@/lib/auth/second-factor/pending-cookie";
import { setSessionCookies } from "@/lib/auth/sessions/session-cookies";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { AppError } from "@/lib/errors";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { errorResponse, route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const input = await readJson(request, LoginInput);
  const meta = await clientMeta(request.headers);
  const outcome = await logIn(input, { kind: "browser", meta, deviceCookie: readDeviceCookie(request.cookies) });
  if (outcome.kind === "second_factor") {
    // The password was right; the session waits for POST /api/auth/login/second-factor.
    const response = errorResponse(new AppError("secondFactorRequired"));
    setPendingSignInCookie(response.cookies, outcome.pending);
    return response;
  }
  scheduleEmailDelivery();
  const response = NextResponse.json({ user: outcome.signedIn.user }, { headers: { "Cache-Control": "no-store" } });
  setSessionCookies(response.cookies, outcome.signedIn);
  await setDeviceCookie(response.cookies, input.email.canonical);
  return response;
});
