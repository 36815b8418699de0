import { and, desc, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { toApiKeyView, viewColumns, type ApiKeyView } from "@/lib/auth/api-keys/api-key-view";

/** A user's keys that were not revoked, newest first; expired ones stay listed (their expiresAt says so) until retention deletes them. */
export async function listApiKeys(db: Executor, userId: string): Promise<ApiKeyView[]> {
  const rows = await db
    .select(viewColumns)
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(toApiKeyView);
}
