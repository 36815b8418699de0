import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { passkeys } from "@/db/schema";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { passkeyViewColumns, type PasskeyView } from "@/lib/auth/passkeys/passkey-view";
import type { SessionUser } from "@/lib/auth/sessions/session";
import { enqueueEmail } from "@/lib/email/outbox";
import { passkeyRemovedEmail } from "@/lib/email/templates";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";

// An owner's changes to their passkeys. Another user's passkey is "not
// found", as a missing one is: ids are not confirmed to strangers.

/** A label only: it grants nothing, so renaming needs no step-up and sends no email. */
export async function renamePasskey(input: { userId: string; passkeyId: string; name: string }): Promise<PasskeyView> {
  const db = await getDb();
  const [renamed] = await db
    .update(passkeys)
    .set({ name: input.name })
    .where(and(eq(passkeys.id, input.passkeyId), eq(passkeys.userId, input.userId)))
    .returning(passkeyViewColumns);
  if (!renamed) throw new AppError("notFound");
  return renamed;
}

export async function removePasskey(input: { user: SessionUser; passkeyId: string; sessionId: string; meta: ClientMeta; now: Date }): Promise<void> {
  const { user, now } = input;
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(passkeys)
      .where(and(eq(passkeys.id, input.passkeyId), eq(passkeys.userId, user.id)))
      .returning({ id: passkeys.id, name: passkeys.name });
    if (!removed) throw new AppError("notFound");
    await recordSecurityEvent(tx, { type: "passkey_removed", userId: user.id, sessionId: input.sessionId, meta: input.meta, detail: { passkeyId: removed.id, name: removed.name }, now });
    await enqueueEmail(tx, passkeyRemovedEmail({ to: user.email, name: user.name, passkeyName: removed.name }), now);
  });
}
