import { NextResponse, type NextRequest } from "next/server";
import { parseEmailAddress } from "@/lib/auth/accounts/email-address";
import { setDeviceCookie } from "@/lib/auth/sessions/device-cookie";
import { setSessionCookies } from "@/lib/auth/sessions/session-cookies";
import { configuredProvider } from "@/lib/auth/sso/configured-providers";
import { clearSsoFlowCookie, readSsoFlowCookie } from "@/lib/auth/sso/flow-cookie";
import { accountErrorUrl, loginErrorUrl } from "@/lib/auth/sso/login-error-url";
import { completeProviderCallback } from "@/lib/auth/sso/provider-callback";
import { setPendingSignInCookie } from "@/lib/auth/second-factor/pending-cookie";
import { secondFactorPagePath } from "@/lib/auth/second-factor/second-factor-page";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { appOrigin } from "@/lib/env";
import { clientMeta } from "@/lib/http/client-meta";
import { route } from "@/lib/http/respond";
import { AppError } from "@/lib/errors";

type Context = { params: Promise<{ id: string }> };

/** The provider sends the browser back here with a code (or an error); the flow cookie goes, whatever happens. */
export const GET = route(async (request: NextRequest, { params }: Context) => {
  const provider = configuredProvider((await params).id);
  // No flow of ours can be running with a provider that is not configured.
  if (!provider) throw new AppError("notFound");
  const outcome = await completeProviderCallback({
    provider,
    flow: readSsoFlowCookie(request.cookies, provider.id),
    // As registered at the provider: APP_URL's origin, never the Host this request came in on.
    returned: new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, appOrigin()),
    meta: await clientMeta(request.headers),
  });
  const target =
    outcome.kind === "signed_in"
      ? new URL(outcome.next, appOrigin())
      : outcome.kind === "second_factor"
        ? new URL(secondFactorPagePath(outcome.next), appOrigin())
        : outcome.kind === "linked"
          ? new URL(`/account?linked=${outcome.provider}`, appOrigin())
          : outcome.linking
            ? accountErrorUrl(outcome.code)
            : loginErrorUrl(outcome.code, outcome.next);
  const response = NextResponse.redirect(target, { status: 303, headers: { "Cache-Control": "no-store" } });
  clearSsoFlowCookie(response.cookies);
  if (outcome.kind !== "failed") scheduleEmailDelivery(); // a link's notice, a new device's
  if (outcome.kind === "second_factor") setPendingSignInCookie(response.cookies, outcome.pending);
  if (outcome.kind === "signed_in") {
    setSessionCookies(response.cookies, outcome.signedIn);
    const email = parseEmailAddress(outcome.signedIn.user.email);
    if (email) await setDeviceCookie(response.cookies, email.canonical);
  }
  return response;
});
