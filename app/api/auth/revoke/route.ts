import { NextResponse, type NextRequest } from "next/server";
import { revokeToken } from "@/lib/auth/sessions/logout";
import { RevokeRequest } from "@/lib/auth/sessions/token-request";
import { clientMeta } from "@/lib/http/client-meta";
import { readFormOrJson } from "@/lib/http/read-form-or-json";
import { route } from "@/lib/http/respond";

// RFC 7009 token revocation for native clients: 200 whatever the token was.
export const POST = route(async (request: NextRequest) => {
  const { token } = await readFormOrJson(request, RevokeRequest);
  await revokeToken(token, await clientMeta(request.headers));
  return NextResponse.json({}, { headers: { "Cache-Control": "no-store" } });
});
