import { NextResponse, type NextRequest } from "next/server";
import { authorize } from "@/lib/auth/dal";
import { listSessions } from "@/lib/auth/sessions/devices";
import { route } from "@/lib/http/respond";

/** The session, or an API key with `sessions:read` (no session is `current` then). */
export const GET = route(async (request: NextRequest) => {
  const caller = await authorize(request, "sessions:read");
  const sessions = await listSessions(caller.userId, caller.session?.id ?? null);
  return NextResponse.json({ sessions }, { headers: { "Cache-Control": "no-store" } });
});
