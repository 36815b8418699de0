import { NextResponse, type NextRequest } from "next/server";
import { requireCronRequest } from "@/lib/http/cron-auth";
import { route } from "@/lib/http/respond";
import { retentionSettings } from "@/lib/retention/policy";
import { pruneTables } from "@/lib/retention/prune";

/**
 * Well inside the request deadline (lib/deadline.ts): no batch starts after
 * it, and a run that stops there answers `done: false`; the next run goes on.
 */
const CRON_PRUNE_BUDGET_MS = 2500;

export const GET = route(async (request: NextRequest) => {
  requireCronRequest(request);
  const report = await pruneTables({ now: new Date(), ...retentionSettings(), budgetMs: CRON_PRUNE_BUDGET_MS });
  return NextResponse.json(report, { headers: { "Cache-Control": "no-store" } });
});
