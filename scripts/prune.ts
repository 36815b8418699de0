import { loadEnvFiles } from "./lib/env-files";
import { closeDb } from "@/db/client";
import { retentionSettings } from "@/lib/retention/policy";
import { pruneTables } from "@/lib/retention/prune";

loadEnvFiles("production");

// `npm run prune`: deletes everything the retention rules say is over
// (docs/decisions/0029), batch by batch until none is left, then exits (for cron).
async function main(): Promise<void> {
  const report = await pruneTables({ now: new Date(), ...retentionSettings(), budgetMs: Number.POSITIVE_INFINITY });
  const counts = Object.entries(report.deleted).map(([table, count]) => `${table} ${count}`);
  console.log(`Pruned: ${counts.join(", ")} (${report.statements} statements).`);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
