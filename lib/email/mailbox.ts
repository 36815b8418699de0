import "server-only";
import { desc } from "drizzle-orm";
import { getDb } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { openEmailBody } from "@/lib/email/seal";

// Development only (the /dev/mailbox page refuses to render in production):
// the outbox as a reader would see it, so sign-up and reset links can be
// followed without an email provider. Waiting messages are opened with
// AUTH_SECRET; a sent or dropped one has no body left to show, only why.

export type MailboxMessage = {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: Date;
  sentAt: Date | null;
};

export async function listMailbox(limit: number): Promise<MailboxMessage[]> {
  const db = await getDb();
  const rows = await db
    .select({
      id: emailOutbox.id,
      toAddress: emailOutbox.toAddress,
      subject: emailOutbox.subject,
      sealedBody: emailOutbox.sealedBody,
      lastError: emailOutbox.lastError,
      createdAt: emailOutbox.createdAt,
      sentAt: emailOutbox.sentAt,
    })
    .from(emailOutbox)
    .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
    .limit(limit);
  return rows.map((row) => ({
    id: row.id,
    to: row.toAddress,
    subject: row.subject,
    text: readableText(row),
    createdAt: row.createdAt,
    sentAt: row.sentAt,
  }));
}

function readableText(row: { id: string; toAddress: string; sealedBody: string | null; lastError: string | null; sentAt: Date | null }): string {
  if (row.sealedBody === null) {
    return row.sentAt
      ? "[Erased when it was sent: the outbox keeps no copy of a message's links.]"
      : `[Erased without being sent: ${row.lastError ?? "it failed for good"}.]`;
  }
  return openEmailBody(row)?.text ?? "[Unreadable: sealed under a previous AUTH_SECRET.]";
}

export type TextPart = { kind: "text" | "link"; value: string };

/** Splits a plain-text body into text and http(s) links, so only real URLs become anchors. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    if (match.index > last) parts.push({ kind: "text", value: text.slice(last, match.index) });
    parts.push({ kind: "link", value: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ kind: "text", value: text.slice(last) });
  return parts;
}
