import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { authenticateLive } from "@/lib/auth/dal";
import { secondFactorActor } from "@/lib/auth/second-factor/actor";
import { regenerateRecoveryCodes } from "@/lib/auth/second-factor/totp-enrolment";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { clientMeta } from "@/lib/http/client-meta";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/** POST /api/auth/recovery-codes — ten new recovery codes, in this answer only; the old ones stop working. */
export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { live } = await authenticateLive(request);
  const regenerated = await regenerateRecoveryCodes(await getDb(), secondFactorActor(live, await clientMeta(request.headers)));
  scheduleEmailDelivery();
  return NextResponse.json(regenerated, { headers: { "Cache-Control": "no-store" } });
});
