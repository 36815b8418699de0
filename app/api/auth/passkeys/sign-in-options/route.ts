import { NextResponse, type NextRequest } from "next/server";
import { setCeremonyCookie } from "@/lib/auth/passkeys/ceremony-cookie";
import { startPasskeySignIn } from "@/lib/auth/passkeys/sign-in-with-passkey";
import { clientMeta } from "@/lib/http/client-meta";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/** POST /api/auth/passkeys/sign-in-options — public: a challenge for this browser to sign with any of its passkeys. */
export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { options, challengeId } = await startPasskeySignIn({ meta: await clientMeta(request.headers), now: new Date() });
  const response = NextResponse.json({ options }, { headers: { "Cache-Control": "no-store" } });
  setCeremonyCookie(response.cookies, { purpose: "sign_in", challengeId });
  return response;
});
