import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { enqueueEmail } from "@/lib/email/outbox";
import { apiKeyRevokedEmail } from "@/lib/email/templates";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";

/**
 * Revokes one of `userId`'s keys: its next request is refused. Another
 * user's key, or one already revoked, is "not found" (ids are not confirmed
 * to strangers). `actorId`: the administrator doing it, when it is not the owner.
 */
export async function revokeApiKey(input: {
  userId: string;
  keyId: string;
  actorId?: string;
  sessionId: string | null;
  meta: ClientMeta;
  now?: Date;
}): Promise<void> {
  const now = input.now ?? new Date();
  const db = await getDb();
  await db.transaction(async (tx) => {
    // One conditional UPDATE: two revocations at once, one winner.
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.id, input.keyId), eq(apiKeys.userId, input.userId), isNull(apiKeys.revokedAt)))
      .returning({ name: apiKeys.name, prefix: apiKeys.prefix });
    if (!revoked) throw new AppError("notFound");
    const [owner] = await tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, input.userId));
    await recordSecurityEvent(tx, {
      type: "api_key_revoked",
      userId: input.userId,
      sessionId: input.sessionId,
      meta: input.meta,
      detail: { keyId: input.keyId, name: revoked.name, prefix: revoked.prefix, ...(input.actorId ? { actorId: input.actorId } : {}) },
      now,
    });
    if (owner) {
      await enqueueEmail(
        tx,
        apiKeyRevokedEmail({ to: owner.email, name: owner.name, keyName: revoked.name, prefix: revoked.prefix, byAdministrator: input.actorId !== undefined }),
        now,
      );
    }
  });
}
