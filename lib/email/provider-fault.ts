import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { emailOutbox, emailProviderFaults } from "@/db/schema";
import { formatUtc } from "@/lib/format/time";

// A refused API key or sending domain is Doorman's configuration at fault, not
// a message's: every message would get the same answer. Delivery holds them all
// and records the fault here, in the database, so every instance and /admin see
// it; the first successful send clears it (docs/decisions/0027).

const PROVIDER = "resend";

export type ProviderFault = { status: number | null; code: string };

export type EmailDeliveryFault = ProviderFault & { firstSeenAt: Date; lastSeenAt: Date; waiting: number };

/**
 * Resend answers 401 for a missing or restricted key and 403 for an invalid key
 * or an unverified sending domain (https://resend.com/docs/api-reference/errors);
 * these codes name the configuration whatever their status (a malformed
 * EMAIL_FROM is a 422).
 */
const CONFIGURATION_CODES = new Set(["missing_api_key", "restricted_api_key", "invalid_api_key", "invalid_from_address"]);

/** The fault when the provider's error is about Doorman's configuration; null for a fault of the message or a passing one. */
export function configurationFault(error: { statusCode?: number | null; name?: string } | null): ProviderFault | null {
  const status = error?.statusCode ?? null;
  const code = error?.name ?? "error";
  return status === 401 || status === 403 || CONFIGURATION_CODES.has(code) ? { status, code } : null;
}

/** What was refused, in words, and which setting to look at. */
export function describeProviderFault(fault: ProviderFault): { refusal: string; remedy: string } {
  const answer = `(${fault.status ?? fault.code})`;
  if (fault.code === "invalid_from_address") {
    return { refusal: `Resend refused the sender address ${answer}`, remedy: "Check EMAIL_FROM." };
  }
  // A 403 that is not about the key: the domain of EMAIL_FROM is not verified (or is Resend's testing sender).
  if (fault.status === 403 && fault.code === "validation_error") {
    return { refusal: `Resend refused the sending domain ${answer}`, remedy: "Verify EMAIL_FROM's domain at Resend, or change EMAIL_FROM." };
  }
  return { refusal: `Resend refused the API key ${answer}`, remedy: "Check RESEND_API_KEY." };
}

export async function recordProviderFault(fault: ProviderFault, at: Date): Promise<void> {
  const db = await getDb();
  await db
    .insert(emailProviderFaults)
    .values({ provider: PROVIDER, ...fault, firstSeenAt: at, lastSeenAt: at })
    .onConflictDoUpdate({ target: emailProviderFaults.provider, set: { ...fault, lastSeenAt: at } });
}

/** In the transaction that records a message sent: the provider took it, so the configuration works. */
export async function clearProviderFault(db: Executor): Promise<void> {
  await db.delete(emailProviderFaults).where(eq(emailProviderFaults.provider, PROVIDER));
}

/** The fault now recorded, with how many messages wait for delivery; null while there is none. */
export async function readEmailDeliveryFault(): Promise<EmailDeliveryFault | null> {
  const db = await getDb();
  const [row] = await db
    .select({
      status: emailProviderFaults.status,
      code: emailProviderFaults.code,
      firstSeenAt: emailProviderFaults.firstSeenAt,
      lastSeenAt: emailProviderFaults.lastSeenAt,
      waiting: sql<number>`(select count(*) from ${emailOutbox} where ${and(isNull(emailOutbox.sentAt), isNull(emailOutbox.failedAt))})`.mapWith(Number),
    })
    .from(emailProviderFaults)
    .where(eq(emailProviderFaults.provider, PROVIDER));
  return row ?? null;
}

/** "Email is not being delivered: Resend refused the API key (401) at 7 Dec 2026, 05:01 UTC. 3 messages are waiting. …" */
export function deliveryFaultNotice(fault: EmailDeliveryFault): string {
  const { refusal, remedy } = describeProviderFault(fault);
  const waiting = fault.waiting === 1 ? "1 message is waiting" : `${fault.waiting} messages are waiting`;
  const since = fault.firstSeenAt < fault.lastSeenAt ? ` It has refused since ${formatUtc(fault.firstSeenAt)}.` : "";
  return `Email is not being delivered: ${refusal} at ${formatUtc(fault.lastSeenAt)}.${since} ${waiting}: they go out once it is fixed. ${remedy}`;
}
