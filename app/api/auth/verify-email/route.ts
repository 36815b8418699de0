import { NextResponse, type NextRequest } from "next/server";
import { VerifyEmailInput } from "@/lib/auth/schemas";
import { setSessionCookies } from "@/lib/auth/sessions/session-cookies";
import { clearSignupCookie, readSignupCookie } from "@/lib/auth/accounts/signup-marker";
import { verifyEmail } from "@/lib/auth/accounts/verify-email";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/** Signs in only the browser that signed up, or with the password typed again; anywhere else it verifies and sets no cookie. */
export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { token, password } = await readJson(request, VerifyEmailInput);
  const { user, signedIn } = await verifyEmail({ token, password, marker: readSignupCookie(request.cookies) }, await clientMeta(request.headers));
  const response = NextResponse.json({ user }, { headers: { "Cache-Control": "no-store" } });
  if (signedIn) {
    setSessionCookies(response.cookies, signedIn);
    clearSignupCookie(response.cookies);
  } else {
    // The link to choose a password.
    scheduleEmailDelivery();
  }
  return response;
});
