import { apiKeys } from "@/db/schema";
import type { ApiKeyScope } from "@/lib/auth/api-keys/scopes";

/** What lists and answers show of a key: never the key, never its hash. */
export type ApiKeyView = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
};

/** The columns a view is made of: selected explicitly, so key_hash is never read into one. */
export const viewColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  lastUsedAt: apiKeys.lastUsedAt,
  lastUsedIp: apiKeys.lastUsedIp,
};

type ViewRow = { id: string; name: string; prefix: string; scopes: string[]; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; lastUsedIp: string | null };

export function toApiKeyView(row: ViewRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as ApiKeyScope[],
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: row.lastUsedIp,
  };
}

/**
 * A key as the API answers for it: the contract's shape, exactly. The
 * last-used address is for people, on /account and in the admin console.
 */
export function apiKeyJson({ lastUsedIp: _lastUsedIp, ...shown }: ApiKeyView): Omit<ApiKeyView, "lastUsedIp"> {
  return shown;
}
