import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { authenticateLive } from "@/lib/auth/dal";
import { secondFactorActor } from "@/lib/auth/second-factor/actor";
import { beginTotpEnrolment, disableTotp } from "@/lib/auth/second-factor/totp-enrolment";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { clientMeta } from "@/lib/http/client-meta";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/** POST /api/auth/totp — begins setting up an authenticator: the new secret, for the app, until confirmed. */
export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { live } = await authenticateLive(request);
  const begun = await beginTotpEnrolment(await getDb(), secondFactorActor(live, await clientMeta(request.headers)));
  return NextResponse.json(begun, { headers: { "Cache-Control": "no-store" } });
});

/** DELETE /api/auth/totp — turns the authenticator off and voids the recovery codes; 204. */
export const DELETE = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { live } = await authenticateLive(request);
  await disableTotp(await getDb(), secondFactorActor(live, await clientMeta(request.headers)));
  scheduleEmailDelivery();
  return new NextResponse(null, { status: 204 });
});
