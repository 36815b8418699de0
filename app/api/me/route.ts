import { NextResponse, type NextRequest } from "next/server";
import { authorize } from "@/lib/auth/dal";
import { route } from "@/lib/http/respond";

/** The session (cookie or Bearer access token) or an API key with `me:read`. */
export const GET = route(async (request: NextRequest) => {
  const { user } = await authorize(request, "me:read");
  return NextResponse.json({ user }, { headers: { "Cache-Control": "no-store" } });
});
