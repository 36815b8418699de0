import { NextResponse, type NextRequest } from "next/server";
import { authorize } from "@/lib/auth/dal";
import { route } from "@/lib/http/respond";

/**
 * A session's caller gets `{user, session}`. An API key with `me:read` is no
 * session: `session: null`, and `apiKey` says which key and until when
 * (docs/decisions/0035).
 */
export const GET = route(async (request: NextRequest) => {
  const caller = await authorize(request, "me:read");
  const body = caller.session
    ? { user: caller.user, session: { id: caller.session.id, expiresAt: caller.session.expiresAt.toISOString() } }
    : {
        user: caller.user,
        session: null,
        apiKey: { id: caller.apiKey!.id, scopes: caller.apiKey!.scopes, expiresAt: caller.apiKey!.expiresAt?.toISOString() ?? null },
      };
  return NextResponse.json(body, { headers: { "Cache-Control": "no-store" } });
});
