import { and, eq, exists, inArray, isNotNull, isNull, lt, lte, not, or, sql } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import { getDb } from "@/db/client";
import { emailOutbox, oneTimeTokens } from "@/db/schema";
import { env } from "@/lib/env";
import { restartOneTimeTokenLifetime } from "@/lib/auth/accounts/one-time-token";
import { clearProviderFault, configurationFault, describeProviderFault, recordProviderFault } from "@/lib/email/provider-fault";
import { openEmailBody } from "@/lib/email/seal";
import { logEvent } from "@/lib/log";

/** How long a worker owns a claimed message before another may take it over. */
const CLAIM_SECONDS = 60;
/**
 * After a failed attempt, the wait before the next: the 8th failure is final,
 * 3,810 seconds (about 64 minutes) after the first attempt.
 */
const RETRY_DELAYS_SECONDS = [30, 60, 120, 240, 480, 960, 1920];
/** Provider answers that will not change on a retry. */
const PERMANENT_STATUSES = new Set([400, 404, 422]);
/**
 * A message held by a configuration fault (provider-fault.ts) is due again
 * after this, however long the fault lasts: it is no attempt of its own, and
 * once the configuration is fixed it should go out at once.
 */
const HOLD_SECONDS = 60;

export type DeliveryReport = { sent: number; retried: number; failed: number };

/**
 * Sends every message that is due. Rows are claimed with FOR UPDATE SKIP
 * LOCKED, so any number of workers (after() callbacks, `npm run outbox`, the
 * cron route) running at once each send a given message once. A message
 * leaves the outbox sealed and its body is erased by the statement that
 * records it sent or failed for good (docs/decisions/0020-sealed-outbox.md).
 */
export async function deliverDueEmails(options: { now?: Date; limit?: number } = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0 };
  const now = options.now ?? new Date();
  await dropDeadLinks(now);
  const { RESEND_API_KEY, RESEND_BASE_URL, EMAIL_FROM } = env();
  // Without a provider, messages stay in the outbox for /dev/mailbox.
  if (!RESEND_API_KEY) return report;
  const claimed = await claimDueMessages(now, options.limit ?? 50);
  if (claimed.length === 0) return report;

  const { Resend } = await import("resend");
  const resend = new Resend(RESEND_API_KEY, RESEND_BASE_URL ? { baseUrl: RESEND_BASE_URL } : undefined);
  const db = await getDb();
  let faultCleared = false;
  for (const [index, message] of claimed.entries()) {
    const body = openEmailBody(message);
    if (!body) {
      // Sealed under an AUTH_SECRET since rotated away: nobody can read it any more.
      await db
        .update(emailOutbox)
        .set(failedForGood(new Date(), "cannot be opened: sealed under a previous AUTH_SECRET, or altered"))
        .where(eq(emailOutbox.id, message.id));
      logEvent("warn", "email.unreadable", { outboxId: message.id, kind: message.kind });
      report.failed++;
      continue;
    }
    const { data, error } = await resend.emails.send(
      { from: EMAIL_FROM, to: message.toAddress, subject: message.subject, html: body.html, text: body.text },
      // Resend drops a repeated key for 24 hours: a retry after a lost answer is not a second email.
      { idempotencyKey: `doorman-outbox-${message.id}` },
    );
    const finishedAt = new Date();
    if (data && !error) {
      await db.transaction(async (tx) => {
        await tx
          .update(emailOutbox)
          .set({ sentAt: finishedAt, providerMessageId: data.id, claimedUntil: null, lastError: null, sealedBody: null })
          .where(eq(emailOutbox.id, message.id));
        if (message.oneTimeTokenId) await restartOneTimeTokenLifetime(tx, { id: message.oneTimeTokenId, sentAt: finishedAt });
        if (!faultCleared) await clearProviderFault(tx);
      });
      faultCleared = true;
      report.sent++;
      continue;
    }
    const status = (error as { statusCode?: number | null } | null)?.statusCode ?? null;
    const lastError = `${status ?? "network"} ${error?.name ?? "error"}: ${error?.message ?? "no answer"}`.slice(0, 500);
    const fault = configurationFault(error);
    if (fault) {
      // The same answer awaits every other message: hold them all, and say so once.
      const held = claimed.slice(index).map((m) => m.id);
      await holdMessages(held, finishedAt, lastError);
      await recordProviderFault(fault, finishedAt);
      logEvent("error", "email.provider_refused_configuration", {
        status: fault.status,
        code: fault.code,
        fault: describeProviderFault(fault).refusal,
        held: held.length,
        retryInSeconds: HOLD_SECONDS,
      });
      report.retried += held.length;
      break;
    }
    const delay = RETRY_DELAYS_SECONDS[message.attempts - 1];
    const permanent = (status !== null && PERMANENT_STATUSES.has(status)) || delay === undefined;
    await db
      .update(emailOutbox)
      .set(
        permanent
          ? failedForGood(finishedAt, lastError)
          : // The sealed body stays for the retry.
            { nextAttemptAt: new Date(finishedAt.getTime() + delay * 1000), lastError, claimedUntil: null },
      )
      .where(eq(emailOutbox.id, message.id));
    logEvent("warn", "email.delivery_failed", { outboxId: message.id, kind: message.kind, permanent, status });
    if (permanent) report.failed++;
    else report.retried++;
  }
  return report;
}

/**
 * Released unsent and due again after the hold, with the attempt their claim
 * counted given back: a configuration fault never brings a message nearer to
 * failing for good. Links keep their lifetime and die as usual (dropDeadLinks).
 */
async function holdMessages(ids: string[], at: Date, lastError: string): Promise<void> {
  const db = await getDb();
  await db
    .update(emailOutbox)
    .set({
      attempts: sql`${emailOutbox.attempts} - 1`,
      nextAttemptAt: new Date(at.getTime() + HOLD_SECONDS * 1000),
      lastError,
      claimedUntil: null,
    })
    .where(inArray(emailOutbox.id, ids));
}

/** A message that will never be sent keeps no body. */
function failedForGood(at: Date, lastError: string) {
  return { failedAt: at, lastError, claimedUntil: null, sealedBody: null };
}

/** Neither sent nor failed for good, and no worker is sending it right now. */
function isWaiting(now: Date) {
  return and(
    isNull(emailOutbox.sentAt),
    isNull(emailOutbox.failedAt),
    or(isNull(emailOutbox.claimedUntil), lt(emailOutbox.claimedUntil, now)),
  );
}

/** The link it carries expired, was used, or was voided by a newer one. */
function hasDeadLink(now: Date) {
  return exists(
    new QueryBuilder()
      .select({ id: oneTimeTokens.id })
      .from(oneTimeTokens)
      .where(
        and(
          eq(oneTimeTokens.id, emailOutbox.oneTimeTokenId),
          or(lte(oneTimeTokens.expiresAt, now), isNotNull(oneTimeTokens.usedAt)),
        ),
      ),
  );
}

/**
 * A message whose link died before it could be sent is not sent later (a
 * send would restart the link's lifetime) and its sealed body is erased.
 */
async function dropDeadLinks(now: Date): Promise<void> {
  const db = await getDb();
  const dropped = await db
    .update(emailOutbox)
    .set(failedForGood(now, "its link expired or was replaced before it could be sent"))
    .where(and(isWaiting(now), hasDeadLink(now)))
    .returning({ id: emailOutbox.id, kind: emailOutbox.kind });
  for (const message of dropped) logEvent("warn", "email.link_died_unsent", { outboxId: message.id, kind: message.kind });
}

async function claimDueMessages(now: Date, limit: number) {
  const db = await getDb();
  const due = db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(isWaiting(now), lte(emailOutbox.nextAttemptAt, now), not(hasDeadLink(now))))
    .orderBy(emailOutbox.nextAttemptAt)
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(emailOutbox)
    .set({ claimedUntil: new Date(now.getTime() + CLAIM_SECONDS * 1000), attempts: sql`${emailOutbox.attempts} + 1` })
    .where(inArray(emailOutbox.id, due))
    .returning({
      id: emailOutbox.id,
      kind: emailOutbox.kind,
      toAddress: emailOutbox.toAddress,
      subject: emailOutbox.subject,
      sealedBody: emailOutbox.sealedBody,
      attempts: emailOutbox.attempts,
      oneTimeTokenId: emailOutbox.oneTimeTokenId,
    });
}
