import { NextResponse, type NextRequest } from "next/server";
import { requestPasswordReset } from "@/lib/auth/passwords/password-reset";
import { EmailOnlyInput } from "@/lib/auth/schemas";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { email } = await readJson(request, EmailOnlyInput);
  await requestPasswordReset(email, await clientMeta(request.headers));
  scheduleEmailDelivery();
  return NextResponse.json({ status: "reset_email_sent_if_account_exists" }, { status: 202, headers: { "Cache-Control": "no-store" } });
});
