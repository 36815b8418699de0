import { loadEnvFiles } from "./lib/env-files";
import { closeDb } from "@/db/client";
import { deliverDueEmails } from "@/lib/email/deliver";
import { env } from "@/lib/env";

loadEnvFiles("production");

// `npm run outbox`: sends every message that is due, then exits (for cron).
async function main(): Promise<void> {
  if (!env().RESEND_API_KEY) {
    console.log("RESEND_API_KEY is not set: messages stay in the outbox (see /dev/mailbox in development).");
    return;
  }
  const total = { sent: 0, retried: 0, failed: 0 };
  for (;;) {
    const report = await deliverDueEmails();
    total.sent += report.sent;
    total.retried += report.retried;
    total.failed += report.failed;
    if (report.sent + report.retried + report.failed === 0) break;
  }
  console.log(`Outbox: ${total.sent} sent, ${total.retried} to retry later, ${total.failed} failed for good.`);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
