import { getDb } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { toApiKeyView, type ApiKeyView } from "@/lib/auth/api-keys/api-key-view";
import { displayPrefix, generateApiKey, hashApiKey } from "@/lib/auth/api-keys/format";
import type { CreateApiKeyInput } from "@/lib/auth/api-keys/schemas";
import { isAdminScope } from "@/lib/auth/api-keys/scopes";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import type { SessionUser } from "@/lib/auth/sessions/session";
import { enqueueEmail } from "@/lib/email/outbox";
import { apiKeyCreatedEmail } from "@/lib/email/templates";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A new key for `owner` (as the database has them now). The key is in the
 * answer and nowhere else: only its SHA-256 is stored. The row, the security
 * event and the notice email commit together.
 */
export async function createApiKey(
  input: { owner: SessionUser; sessionId: string; meta: ClientMeta; now?: Date } & CreateApiKeyInput,
): Promise<{ apiKey: ApiKeyView; key: string }> {
  const now = input.now ?? new Date();
  const maxDays = env().API_KEY_MAX_DAYS;
  if (maxDays !== undefined && (input.expiresInDays === null || input.expiresInDays > maxDays)) {
    throw new AppError("invalidRequest", { fields: { expiresInDays: `Keys on this server expire within ${maxDays} days.` } });
  }
  if (input.owner.role !== "admin" && input.scopes.some(isAdminScope)) {
    throw new AppError("forbidden", { message: "Only administrators can give a key admin scopes." });
  }
  const key = generateApiKey();
  const row = {
    id: crypto.randomUUID(),
    userId: input.owner.id,
    name: input.name,
    prefix: displayPrefix(key),
    keyHash: hashApiKey(key),
    scopes: input.scopes,
    createdAt: now,
    expiresAt: input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * DAY_MS),
    lastUsedAt: null,
    lastUsedIp: null,
  };
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.insert(apiKeys).values(row);
    await recordSecurityEvent(tx, {
      type: "api_key_created",
      userId: input.owner.id,
      sessionId: input.sessionId,
      meta: input.meta,
      detail: { keyId: row.id, name: row.name, prefix: row.prefix, scopes: row.scopes, expiresAt: row.expiresAt?.toISOString() ?? null },
      now,
    });
    await enqueueEmail(
      tx,
      apiKeyCreatedEmail({ to: input.owner.email, name: input.owner.name, keyName: row.name, prefix: row.prefix, scopes: row.scopes, expiresAt: row.expiresAt }),
      now,
    );
  });
  return { apiKey: toApiKeyView(row), key };
}
