import { NextResponse, type NextRequest } from "next/server";
import { VerifyEmailInput } from "@/lib/auth/schemas";
import { setSessionCookies } from "@/lib/auth/session-cookies";
import { verifyEmail } from "@/lib/auth/verify-email";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { token } = await readJson(request, VerifyEmailInput);
  const signedIn = await verifyEmail(token, await clientMeta(request.headers));
  const response = NextResponse.json({ user: signedIn.user }, { headers: { "Cache-Control": "no-store" } });
  await setSessionCookies(response.cookies, signedIn);
  return response;
});
