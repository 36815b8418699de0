import { NextResponse, type NextRequest } from "next/server";
import { parseEmailAddress } from "@/lib/auth/accounts/email-address";
import { SecondFactorCodeInput } from "@/lib/auth/second-factor/schemas";
import { completeSecondFactorSignIn } from "@/lib/auth/second-factor/complete-sign-in";
import { clearPendingSignInCookie, readPendingSignInCookie } from "@/lib/auth/second-factor/pending-cookie";
import { setDeviceCookie } from "@/lib/auth/sessions/device-cookie";
import { setSessionCookies } from "@/lib/auth/sessions/session-cookies";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { AppError } from "@/lib/errors";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { errorResponse, route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/** The second step of a sign-in: the pending cookie says whose, the code proves it. */
export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { code } = await readJson(request, SecondFactorCodeInput);
  const pending = readPendingSignInCookie(request.cookies);
  if (!pending) {
    const response = errorResponse(new AppError("secondFactorExpired"));
    clearPendingSignInCookie(response.cookies);
    return response;
  }
  const signedIn = await completeSecondFactorSignIn(pending, { code, meta: await clientMeta(request.headers) });
  scheduleEmailDelivery();
  const response = NextResponse.json({ user: signedIn.user }, { headers: { "Cache-Control": "no-store" } });
  clearPendingSignInCookie(response.cookies);
  setSessionCookies(response.cookies, signedIn);
  const email = parseEmailAddress(signedIn.user.email);
  if (email) await setDeviceCookie(response.cookies, email.canonical);
  return response;
});
