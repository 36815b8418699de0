import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { authenticateLive } from "@/lib/auth/dal";
import { secondFactorActor } from "@/lib/auth/second-factor/actor";
import { SecondFactorCodeInput } from "@/lib/auth/second-factor/schemas";
import { confirmTotpEnrolment } from "@/lib/auth/second-factor/totp-enrolment";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/** POST /api/auth/totp/confirm {code} — a code from the new secret turns it on; the recovery codes are in this answer only. */
export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { live } = await authenticateLive(request);
  const { code } = await readJson(request, SecondFactorCodeInput);
  const confirmed = await confirmTotpEnrolment(await getDb(), { ...secondFactorActor(live, await clientMeta(request.headers)), code });
  scheduleEmailDelivery();
  return NextResponse.json(confirmed, { headers: { "Cache-Control": "no-store" } });
});
