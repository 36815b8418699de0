import { NextResponse, type NextRequest } from "next/server";
import { signUp } from "@/lib/auth/accounts/signup";
import { SignupInput } from "@/lib/auth/schemas";
import { setSignupCookie } from "@/lib/auth/accounts/signup-marker";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const input = await readJson(request, SignupInput);
  const { status, marker } = await signUp(input, await clientMeta(request.headers));
  scheduleEmailDelivery();
  const response = NextResponse.json({ status }, { status: 202, headers: { "Cache-Control": "no-store" } });
  setSignupCookie(response.cookies, marker);
  return response;
});
