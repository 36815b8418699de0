import { NextResponse, type NextRequest } from "next/server";
import { endUserSessions } from "@/lib/admin/end-user-sessions";
import { readUserIdParam, type UserRouteContext } from "@/lib/admin/schemas";
import { authorize } from "@/lib/auth/dal";
import { clientMeta } from "@/lib/http/client-meta";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/** DELETE /api/admin/users/:id/sessions — signs the user out everywhere. */
export const DELETE = route(async (request: NextRequest, context: UserRouteContext) => {
  assertSameSite(request.headers);
  const admin = await authorize(request, "admin:write");
  const result = await endUserSessions({ actorId: admin.userId, userId: await readUserIdParam(context) }, await clientMeta(request.headers));
  return NextResponse.json(result, { headers: { "Cache-Control": "no-store" } });
});
