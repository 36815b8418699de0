import { NextResponse, type NextRequest } from "next/server";
import { authenticateLive } from "@/lib/auth/dal";
import { setCeremonyCookie } from "@/lib/auth/passkeys/ceremony-cookie";
import { startPasskeyStepUp } from "@/lib/auth/step-up/reauthenticate";
import { clientMeta } from "@/lib/http/client-meta";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/**
 * POST /api/auth/reauthenticate/passkey-options — a challenge for one of this
 * user's passkeys, bound to this session and browser, for a step-up.
 */
export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { live } = await authenticateLive(request);
  const { options, challengeId } = await startPasskeyStepUp({ userId: live.userId, sessionId: live.id, meta: await clientMeta(request.headers) });
  const response = NextResponse.json({ options }, { headers: { "Cache-Control": "no-store" } });
  setCeremonyCookie(response.cookies, { purpose: "reauthenticate", challengeId });
  return response;
});
