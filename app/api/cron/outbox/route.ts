import { NextResponse, type NextRequest } from "next/server";
import { deliverDueEmails } from "@/lib/email/deliver";
import { isCronRequest } from "@/lib/email/cron-auth";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/respond";

// Vercel Cron calls GET with `Authorization: Bearer $CRON_SECRET`.
export const GET = route(async (request: NextRequest) => {
  if (!env().CRON_SECRET) throw new AppError("notFound");
  if (!isCronRequest(request.headers.get("authorization"))) throw new AppError("unauthenticated");
  const report = await deliverDueEmails();
  return NextResponse.json(report, { headers: { "Cache-Control": "no-store" } });
});
