import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { authenticateLive } from "@/lib/auth/dal";
import { readDeviceCookie } from "@/lib/auth/sessions/device-cookie";
import { clearCeremonyCookie, readCeremonyCookie } from "@/lib/auth/passkeys/ceremony-cookie";
import { reauthenticate, stepUpProof } from "@/lib/auth/step-up/reauthenticate";
import { isRecentlyAuthenticated, recentAuthenticationEndsAt } from "@/lib/auth/step-up/recent-authentication";
import { ReauthenticateInput } from "@/lib/auth/step-up/schemas";
import { signInMethods, stepUpMethods } from "@/lib/auth/step-up/sign-in-methods";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

const NO_STORE = { "Cache-Control": "no-store" };

/** GET /api/auth/reauthenticate — how this account can step up, and until when the current step-up holds (null: it does not). */
export const GET = route(async (request: NextRequest) => {
  const { live } = await authenticateLive(request);
  const methods = stepUpMethods(await signInMethods(await getDb(), live.userId));
  return NextResponse.json(
    {
      methods,
      authenticatedUntil: isRecentlyAuthenticated(live) ? recentAuthenticationEndsAt(live).toISOString() : null,
    },
    { headers: NO_STORE },
  );
});

/** POST /api/auth/reauthenticate — `{password}`, `{code}` or `{passkey}`; 200 `{authenticatedUntil}`. */
export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { live } = await authenticateLive(request);
  const input = await readJson(request, ReauthenticateInput);
  const proof = stepUpProof(input, { deviceCookie: readDeviceCookie(request.cookies), passkeyChallengeId: readCeremonyCookie(request.cookies, "reauthenticate") });
  const result = await reauthenticate({ userId: live.userId, sessionId: live.id, proof, meta: await clientMeta(request.headers) });
  const response = NextResponse.json({ authenticatedUntil: result.authenticatedUntil.toISOString() }, { headers: NO_STORE });
  if (proof.method === "passkey") clearCeremonyCookie(response.cookies);
  return response;
});
