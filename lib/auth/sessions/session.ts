import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { refreshTokens, sessions, users } from "@/db/schema";
import { env } from "@/lib/env";
import { hashToken, newRefreshToken } from "@/lib/auth/sessions/refresh-token";
import { toPublicUser } from "@/lib/auth/accounts/users";
import type { ClientMeta } from "@/lib/http/client-meta";
import type { Role } from "@/lib/auth/edge/jwt";

export type SessionKind = "browser" | "native";

export type SessionUser = { id: string; email: string; name: string; role: Role; emailVerified: boolean };

export type IssuedRefresh = { sessionId: string; refreshToken: string; expiresAt: Date };

/**
 * A new family for every login: a refresh cookie planted before login is never
 * adopted. Opening a session is an authentication, so it starts the step-up
 * clock (`authenticatedAt`, when the session stands on an earlier one);
 * `twoFactor` says the sign-in took two factors.
 */
export async function createSession(
  db: Executor,
  input: { userId: string; kind: SessionKind; meta: ClientMeta; now: Date; twoFactor: boolean; authenticatedAt?: Date },
): Promise<IssuedRefresh> {
  const sessionId = crypto.randomUUID();
  const refreshToken = newRefreshToken();
  const absoluteExpiresAt = addSeconds(input.now, env().REFRESH_ABSOLUTE_TTL_SECONDS);
  const expiresAt = idleExpiresAt(input.now, absoluteExpiresAt);
  await db.insert(sessions).values({
    id: sessionId,
    userId: input.userId,
    kind: input.kind,
    userAgent: input.meta.userAgent,
    ip: input.meta.ip,
    createdAt: input.now,
    lastUsedAt: input.now,
    expiresAt,
    absoluteExpiresAt,
    authenticatedAt: input.authenticatedAt ?? input.now,
    twoFactor: input.twoFactor,
  });
  await db.insert(refreshTokens).values({
    id: crypto.randomUUID(),
    sessionId,
    tokenHash: hashToken(refreshToken),
    createdAt: input.now,
  });
  await db.update(users).set({ lastSignInAt: input.now }).where(eq(users.id, input.userId));
  return { sessionId, refreshToken, expiresAt };
}

/** Revokes a session unless it already was; returns its user when this call revoked it. */
export async function revokeSessionRow(
  db: Executor,
  sessionId: string,
  reason: string,
  now: Date,
): Promise<{ userId: string } | null> {
  const [revoked] = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ userId: sessions.userId });
  return revoked ?? null;
}

/** Ends every live session of a user, or every one but `keep`; returns how many ended. The caller records the event. */
export async function revokeUserSessionRows(
  db: Executor,
  input: { userId: string; keep?: string; reason: string; now: Date },
): Promise<number> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: input.now, revokedReason: input.reason })
    .where(and(eq(sessions.userId, input.userId), isNull(sessions.revokedAt), input.keep ? ne(sessions.id, input.keep) : undefined))
    .returning({ id: sessions.id });
  return revoked.length;
}

/** The session a refresh token belongs to, whatever its state (logout revokes by token). */
export async function findSessionIdByRefreshToken(db: Executor, presented: string): Promise<string | null> {
  const [row] = await db
    .select({ sessionId: refreshTokens.sessionId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashToken(presented)));
  return row?.sessionId ?? null;
}

/**
 * A session that may still be used, with its user as they are now: one query
 * is both the liveness read and the user read. `role` is the role in the
 * database, what admin checks go by, not the JWT's claim.
 */
export type LiveSession = {
  id: string;
  userId: string;
  role: Role;
  expiresAt: Date;
  /** When the person last proved who they are in this session (sign-in or step-up). */
  authenticatedAt: Date;
  twoFactor: boolean;
  user: SessionUser;
};

/**
 * Built once per database and prepared: every protected request runs it, so
 * it skips drizzle's query building and, on PostgreSQL, the server's parse and
 * plan (a named statement per connection, unless DATABASE_PREPARED_STATEMENTS
 * turns them off for a pooler that cannot keep them: docs/decisions/0024).
 */
const liveSessionQueries = new WeakMap<Database, ReturnType<typeof prepareLiveSessionQuery>>();

function prepareLiveSessionQuery(db: Database) {
  return db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      expiresAt: sessions.expiresAt,
      absoluteExpiresAt: sessions.absoluteExpiresAt,
      revokedAt: sessions.revokedAt,
      authenticatedAt: sessions.authenticatedAt,
      twoFactor: sessions.twoFactor,
      email: users.email,
      name: users.name,
      role: users.role,
      emailVerifiedAt: users.emailVerifiedAt,
      disabledAt: users.disabledAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder("sessionId")))
    .prepare("live_session");
}

export async function findLiveSession(db: Database, sessionId: string, now: Date): Promise<LiveSession | null> {
  let query = liveSessionQueries.get(db);
  if (!query) liveSessionQueries.set(db, (query = prepareLiveSessionQuery(db)));
  const [row] = await query.execute({ sessionId });
  if (!row || row.revokedAt || row.disabledAt) return null;
  if (now >= row.expiresAt || now >= row.absoluteExpiresAt) return null;
  return {
    id: row.id,
    userId: row.userId,
    role: row.role,
    expiresAt: row.expiresAt,
    authenticatedAt: row.authenticatedAt,
    twoFactor: row.twoFactor,
    user: toPublicUser({ ...row, id: row.userId }),
  };
}

export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

/** When a session used at `now` expires if left idle: the idle TTL on, never past its absolute expiry. */
export function idleExpiresAt(now: Date, absoluteExpiresAt: Date): Date {
  const idle = addSeconds(now, env().REFRESH_IDLE_TTL_SECONDS);
  return idle.getTime() <= absoluteExpiresAt.getTime() ? idle : absoluteExpiresAt;
}
