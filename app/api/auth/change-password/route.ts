import { NextResponse, type NextRequest } from "next/server";
import { changePassword } from "@/lib/auth/passwords/change-password";
import { authenticateLive } from "@/lib/auth/dal";
import { readDeviceCookie } from "@/lib/auth/sessions/device-cookie";
import { ChangePasswordInput } from "@/lib/auth/schemas";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { claims, live } = await authenticateLive(request);
  const input = await readJson(request, ChangePasswordInput);
  const deviceCookie = readDeviceCookie(request.cookies);
  await changePassword({ userId: claims.sub, sessionId: claims.sid, authenticatedAt: live.authenticatedAt, deviceCookie, ...input }, await clientMeta(request.headers));
  scheduleEmailDelivery();
  return NextResponse.json({ status: "password_changed" }, { headers: { "Cache-Control": "no-store" } });
});
