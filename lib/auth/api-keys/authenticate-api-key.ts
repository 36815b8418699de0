import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import { getDb, type Database } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { hashApiKey, isWellFormedApiKey } from "@/lib/auth/api-keys/format";
import type { ApiKeyScope } from "@/lib/auth/api-keys/scopes";
import { toPublicUser } from "@/lib/auth/accounts/users";
import type { Role } from "@/lib/auth/edge/jwt";
import { enforceRateLimit, type RateLimit } from "@/lib/auth/limits/rate-limit";
import type { SessionUser } from "@/lib/auth/sessions/session";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";

/** A key that may be used now, with its owner as the database has them now. */
export type KeyHolder = {
  keyId: string;
  scopes: ApiKeyScope[];
  expiresAt: Date | null;
  /** The owner's role now, not when the key was made: what admin scopes go by. */
  role: Role;
  user: SessionUser;
};

/** last_used_at is written at most this often per key, so a busy script does not write on every request. */
const LAST_USED_RESOLUTION_SECONDS = 60;

function apiKeyRateLimit(): RateLimit {
  return { limit: env().API_KEY_RATE_LIMIT_PER_MINUTE, windowSeconds: 60 };
}

/** Prepared once per database, as the liveness read is (docs/decisions/0024): every key request runs it. */
const keyQueries = new WeakMap<Database, ReturnType<typeof prepareKeyQuery>>();

function prepareKeyQuery(db: Database) {
  return db
    .select({
      keyId: apiKeys.id,
      scopes: apiKeys.scopes,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
      lastUsedAt: apiKeys.lastUsedAt,
      userId: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      emailVerifiedAt: users.emailVerifiedAt,
      disabledAt: users.disabledAt,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.keyHash, sql.placeholder("keyHash")))
    .prepare("api_key");
}

/**
 * The key's holder, or 401 `invalid_api_key`. A key that is malformed or
 * fails its checksum is refused before any query. Then one indexed read (key
 * and owner together), one rate-limit hit per key, and at most once a minute
 * a conditional UPDATE of last-used.
 */
export async function authenticateApiKey(presented: string, meta: ClientMeta, now = new Date()): Promise<KeyHolder> {
  if (!isWellFormedApiKey(presented)) throw new AppError("invalidApiKey");
  const db = await getDb();
  let query = keyQueries.get(db);
  if (!query) keyQueries.set(db, (query = prepareKeyQuery(db)));
  const [row] = await query.execute({ keyHash: hashApiKey(presented) });
  if (!row || row.revokedAt || row.disabledAt || (row.expiresAt && now >= row.expiresAt)) throw new AppError("invalidApiKey");
  await enforceRateLimit(db, `api_key:${row.keyId}`, apiKeyRateLimit(), now);
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_SECONDS * 1000) {
    await touchApiKey(db, row.keyId, meta, now);
  }
  return {
    keyId: row.keyId,
    scopes: row.scopes as ApiKeyScope[],
    expiresAt: row.expiresAt,
    role: row.role,
    user: toPublicUser({ ...row, id: row.userId }),
  };
}

/** Conditional: of requests racing past the read above, one writes; the rest match no row. */
async function touchApiKey(db: Database, keyId: string, meta: ClientMeta, now: Date): Promise<void> {
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_SECONDS * 1000);
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now, lastUsedIp: meta.ip })
    .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lte(apiKeys.lastUsedAt, staleBefore))));
}
