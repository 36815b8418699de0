import { NextResponse, type NextRequest } from "next/server";
import { deliverDueEmails } from "@/lib/email/deliver";
import { requireCronRequest } from "@/lib/http/cron-auth";
import { route } from "@/lib/http/respond";

export const GET = route(async (request: NextRequest) => {
  requireCronRequest(request);
  const report = await deliverDueEmails();
  return NextResponse.json(report, { headers: { "Cache-Control": "no-store" } });
});
