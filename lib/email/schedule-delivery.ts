import { after } from "next/server";
import { deliverDueEmails } from "@/lib/email/deliver";
import { env } from "@/lib/env";
import { describeError, logEvent } from "@/lib/log";

/**
 * Delivery runs after the response is sent (Next's after()): the answer a user
 * sees never waits for, or depends on, the email provider. A failure here
 * leaves the message in the outbox for the next worker.
 */
export function scheduleEmailDelivery(): void {
  // Without a provider there is nothing to send: messages wait in the outbox (/dev/mailbox).
  if (!env().RESEND_API_KEY) return;
  after(async () => {
    try {
      await deliverDueEmails();
    } catch (error) {
      logEvent("warn", "email.delivery_deferred", { error: describeError(error) });
    }
  });
}
