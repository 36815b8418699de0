import { NextResponse, type NextRequest } from "next/server";
import { readUserIdParam, type UserRouteContext } from "@/lib/admin/schemas";
import { enableUser } from "@/lib/admin/set-account-disabled";
import { authorize } from "@/lib/auth/dal";
import { clientMeta } from "@/lib/http/client-meta";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/** POST /api/admin/users/:id/enable — the account may sign in again. */
export const POST = route(async (request: NextRequest, context: UserRouteContext) => {
  assertSameSite(request.headers);
  const admin = await authorize(request, "admin:write");
  const user = await enableUser({ actorId: admin.userId, userId: await readUserIdParam(context) }, await clientMeta(request.headers));
  return NextResponse.json({ user }, { headers: { "Cache-Control": "no-store" } });
});
