import { NextResponse, type NextRequest } from "next/server";
import { authenticate } from "@/lib/auth/dal";
import { listSessions } from "@/lib/auth/sessions/devices";
import { route } from "@/lib/http/respond";

export const GET = route(async (request: NextRequest) => {
  const claims = await authenticate(request);
  const sessions = await listSessions(claims.sub, claims.sid);
  return NextResponse.json({ sessions }, { headers: { "Cache-Control": "no-store" } });
});
