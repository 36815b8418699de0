import { NextResponse } from "next/server";
import { checkDatabase } from "@/lib/health";
import { route } from "@/lib/http/respond";

// Readiness (docs/decisions/0026): 503 temporarily_unavailable with Retry-After
// while the database refuses or stays silent, within the request deadline.
export const GET = route(async () => {
  await checkDatabase();
  return NextResponse.json({ status: "ready" }, { headers: { "Cache-Control": "no-store" } });
});
