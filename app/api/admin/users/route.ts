import { NextResponse, type NextRequest } from "next/server";
import { listUsers } from "@/lib/admin/list-users";
import { ListUsersQuery } from "@/lib/admin/schemas";
import { authorize } from "@/lib/auth/dal";
import { validate } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";

/** GET /api/admin/users?query=&cursor=&limit= — newest first, keyset-paged. */
export const GET = route(async (request: NextRequest) => {
  await authorize(request, "admin:read");
  const params = request.nextUrl.searchParams;
  const input = validate(ListUsersQuery, {
    query: params.get("query") ?? undefined,
    cursor: params.get("cursor") ?? undefined,
    limit: params.get("limit") ?? undefined,
  });
  return NextResponse.json(await listUsers(input), { headers: { "Cache-Control": "no-store" } });
});
