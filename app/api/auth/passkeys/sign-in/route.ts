import { NextResponse, type NextRequest } from "next/server";
import { clearCeremonyCookie, readCeremonyCookie } from "@/lib/auth/passkeys/ceremony-cookie";
import { PasskeySignInInput } from "@/lib/auth/passkeys/schemas";
import { signInWithPasskey } from "@/lib/auth/passkeys/sign-in-with-passkey";
import { clearPendingSignInCookie } from "@/lib/auth/second-factor/pending-cookie";
import { setSessionCookies } from "@/lib/auth/sessions/session-cookies";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/** POST /api/auth/passkeys/sign-in {response} — public: 200 {user} and the session cookies, as POST /api/auth/login answers. */
export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { response: assertion } = await readJson(request, PasskeySignInInput);
  const signedIn = await signInWithPasskey({
    challengeId: readCeremonyCookie(request.cookies, "sign_in"),
    response: assertion,
    kind: "browser",
    meta: await clientMeta(request.headers),
    now: new Date(),
  });
  scheduleEmailDelivery();
  const response = NextResponse.json({ user: signedIn.user }, { headers: { "Cache-Control": "no-store" } });
  setSessionCookies(response.cookies, signedIn);
  clearCeremonyCookie(response.cookies);
  // A passkey is two factors: a password sign-in left waiting for its second one is finished with.
  clearPendingSignInCookie(response.cookies);
  return response;
});
