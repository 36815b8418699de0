import { NextResponse, type NextRequest } from "next/server";
import { readUserIdParam, type UserRouteContext } from "@/lib/admin/schemas";
import { getUserDetails } from "@/lib/admin/user-details";
import { authorize } from "@/lib/auth/dal";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/respond";

/** GET /api/admin/users/:id — the user, their live sessions and recent security events. */
export const GET = route(async (request: NextRequest, context: UserRouteContext) => {
  const admin = await authorize(request, "admin:read");
  const details = await getUserDetails(await readUserIdParam(context), admin.session?.id ?? null);
  if (!details) throw new AppError("notFound", { message: "No user has that id." });
  return NextResponse.json(details, { headers: { "Cache-Control": "no-store" } });
});
