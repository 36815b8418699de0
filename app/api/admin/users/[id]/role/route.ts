import { NextResponse, type NextRequest } from "next/server";
import { changeUserRole } from "@/lib/admin/change-user-role";
import { SetRoleInput, readUserIdParam, type UserRouteContext } from "@/lib/admin/schemas";
import { authorize } from "@/lib/auth/dal";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/** PATCH /api/admin/users/:id/role {role: "user"|"admin"} — ends the user's sessions; 409 own_account for oneself. */
export const PATCH = route(async (request: NextRequest, context: UserRouteContext) => {
  assertSameSite(request.headers);
  const admin = await authorize(request, "admin:write");
  const userId = await readUserIdParam(context);
  const { role } = await readJson(request, SetRoleInput);
  const user = await changeUserRole({ actorId: admin.userId, userId, role }, await clientMeta(request.headers));
  return NextResponse.json({ user }, { headers: { "Cache-Control": "no-store" } });
});
