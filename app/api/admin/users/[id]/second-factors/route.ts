import { NextResponse, type NextRequest } from "next/server";
import { resetSecondFactors } from "@/lib/admin/reset-second-factors";
import { readUserIdParam, type UserRouteContext } from "@/lib/admin/schemas";
import { authorize } from "@/lib/auth/dal";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { clientMeta } from "@/lib/http/client-meta";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/** DELETE /api/admin/users/:id/second-factors — 200 `{removed}`; the owner is emailed; 409 own_account for oneself. */
export const DELETE = route(async (request: NextRequest, context: UserRouteContext) => {
  assertSameSite(request.headers);
  const admin = await authorize(request, "admin:write");
  const removed = await resetSecondFactors({ actorId: admin.userId, userId: await readUserIdParam(context) }, await clientMeta(request.headers));
  scheduleEmailDelivery();
  return NextResponse.json({ removed }, { headers: { "Cache-Control": "no-store" } });
});
