import type { Executor } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { sealEmailBody } from "@/lib/email/seal";
import type { EmailMessage } from "@/lib/email/templates";

/**
 * Written in the caller's transaction, beside the token the message carries:
 * either both exist or neither. Delivery happens later and never decides the
 * answer the user sees. The body is stored sealed: it may carry a live link.
 */
export async function enqueueEmail(
  db: Executor,
  message: EmailMessage,
  now: Date,
  options: { oneTimeTokenId?: string } = {},
): Promise<string> {
  const id = crypto.randomUUID();
  await db.insert(emailOutbox).values({
    id,
    kind: message.kind,
    toAddress: message.to,
    subject: message.subject,
    sealedBody: sealEmailBody({ text: message.text, html: message.html }, { id, toAddress: message.to }),
    createdAt: now,
    nextAttemptAt: now,
    oneTimeTokenId: options.oneTimeTokenId ?? null,
  });
  return id;
}
