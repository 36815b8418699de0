import { NextResponse, type NextRequest } from "next/server";
import { resetPassword } from "@/lib/auth/passwords/password-reset";
import { ResetPasswordInput } from "@/lib/auth/schemas";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const input = await readJson(request, ResetPasswordInput);
  await resetPassword(input, await clientMeta(request.headers));
  scheduleEmailDelivery();
  return NextResponse.json({ status: "password_reset" }, { headers: { "Cache-Control": "no-store" } });
});
