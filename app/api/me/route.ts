import { NextResponse, type NextRequest } from "next/server";
import { authenticateLive } from "@/lib/auth/dal";
import { route } from "@/lib/http/respond";

export const GET = route(async (request: NextRequest) => {
  const { live } = await authenticateLive(request);
  return NextResponse.json({ user: live.user }, { headers: { "Cache-Control": "no-store" } });
});
