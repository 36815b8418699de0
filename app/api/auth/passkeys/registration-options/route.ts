import { NextResponse, type NextRequest } from "next/server";
import { authenticateBrowser } from "@/lib/auth/dal";
import { setCeremonyCookie } from "@/lib/auth/passkeys/ceremony-cookie";
import { startPasskeyRegistration } from "@/lib/auth/passkeys/register-passkey";
import { requireRecentAuthentication } from "@/lib/auth/step-up/recent-authentication";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/** POST /api/auth/passkeys/registration-options — a browser session that authenticated in the last ten minutes. */
export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { live } = await authenticateBrowser(request);
  requireRecentAuthentication(live);
  const { options, challengeId } = await startPasskeyRegistration({ user: live.user, sessionId: live.id, now: new Date() });
  const response = NextResponse.json({ options }, { headers: { "Cache-Control": "no-store" } });
  setCeremonyCookie(response.cookies, { purpose: "register", challengeId });
  return response;
});
