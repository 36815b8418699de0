import { and, eq, isNull, ne } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { refreshTokens, sessions, users } from "@/db/schema";
import { env } from "@/lib/env";
import { hashToken, newRefreshToken, successorOf } from "@/lib/auth/refresh-token";
import { recordSecurityEvent } from "@/lib/auth/security-events";
import type { ClientMeta } from "@/lib/http/client-meta";
import type { Role } from "@/lib/auth/jwt";

export type SessionKind = "browser" | "native";

export type SessionUser = { id: string; email: string; name: string; role: Role; emailVerified: boolean };

export type IssuedRefresh = { sessionId: string; refreshToken: string; expiresAt: Date };

/** A new family for every login: a refresh cookie planted before login is never adopted. */
export async function createSession(
  db: Executor,
  input: { userId: string; kind: SessionKind; meta: ClientMeta; now: Date },
): Promise<IssuedRefresh> {
  const { REFRESH_IDLE_TTL_SECONDS, REFRESH_ABSOLUTE_TTL_SECONDS } = env();
  const sessionId = crypto.randomUUID();
  const refreshToken = newRefreshToken();
  const absoluteExpiresAt = addSeconds(input.now, REFRESH_ABSOLUTE_TTL_SECONDS);
  const expiresAt = minDate(addSeconds(input.now, REFRESH_IDLE_TTL_SECONDS), absoluteExpiresAt);
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
  });
  await db.insert(refreshTokens).values({
    id: crypto.randomUUID(),
    sessionId,
    tokenHash: hashToken(refreshToken),
    createdAt: input.now,
  });
  return { sessionId, refreshToken, expiresAt };
}

export type RotateResult =
  | { ok: true; user: SessionUser; refresh: IssuedRefresh }
  | { ok: false; reason: "unknown" | "expired" | "revoked" | "reused" };

/** Longest chain a grace-window retry may walk; a family rotates far less within 10 s. */
const MAX_SUCCESSOR_WALK = 64;

/**
 * Exchanges a refresh token for its successor (RFC 9700 §4.14.2).
 *
 * The token and session rows are locked for the whole exchange, so concurrent
 * refreshes of one family run one at a time. The first rotates; the others, arriving within
 * REFRESH_REUSE_GRACE_SECONDS of that rotation, walk the successor chain and
 * receive the family's current token, so every caller converges on one live
 * credential. Presenting a rotated token after the window is reuse: the whole
 * family is revoked and a security event recorded.
 */
export async function rotateRefreshToken(
  presented: string,
  input: { meta: ClientMeta; kind: SessionKind; now: Date },
): Promise<RotateResult> {
  const db = await getDb();
  const { now } = input;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        tokenId: refreshTokens.id,
        rotatedAt: refreshTokens.rotatedAt,
        successorId: refreshTokens.successorId,
        session: {
          id: sessions.id,
          kind: sessions.kind,
          revokedAt: sessions.revokedAt,
          expiresAt: sessions.expiresAt,
          absoluteExpiresAt: sessions.absoluteExpiresAt,
        },
        user: {
          id: users.id,
          email: users.email,
          name: users.name,
          role: users.role,
          emailVerifiedAt: users.emailVerifiedAt,
          disabledAt: users.disabledAt,
        },
      })
      .from(refreshTokens)
      .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(refreshTokens.tokenHash, hashToken(presented)))
      // Both rows: under READ COMMITTED a waiter re-reads only the rows it
      // locked, so the token row must be among them for a second caller to
      // see that the first one already rotated it.
      .for("update", { of: [refreshTokens, sessions] });

    // A browser cookie is never accepted as a native grant, nor the reverse.
    if (!row || row.session.kind !== input.kind) return { ok: false, reason: "unknown" } as const;
    const { session, user } = row;
    if (session.revokedAt || user.disabledAt) return { ok: false, reason: "revoked" } as const;
    if (now >= session.expiresAt || now >= session.absoluteExpiresAt) return { ok: false, reason: "expired" } as const;

    let current: string;
    if (!row.rotatedAt) {
      current = successorOf(presented);
      const successorId = crypto.randomUUID();
      await tx.insert(refreshTokens).values({ id: successorId, sessionId: session.id, tokenHash: hashToken(current), createdAt: now });
      await tx.update(refreshTokens).set({ rotatedAt: now, successorId }).where(eq(refreshTokens.id, row.tokenId));
    } else if (now.getTime() - row.rotatedAt.getTime() <= env().REFRESH_REUSE_GRACE_SECONDS * 1000) {
      const head = await currentTokenOfChain(tx, presented, row.successorId);
      if (!head) return { ok: false, reason: "unknown" } as const;
      current = head;
    } else {
      await revokeSessionRow(tx, session.id, "refresh_token_reuse", now);
      await recordSecurityEvent(tx, {
        type: "refresh_token_reuse",
        userId: user.id,
        sessionId: session.id,
        meta: input.meta,
        detail: { rotatedAt: row.rotatedAt.toISOString() },
        now,
      });
      return { ok: false, reason: "reused" } as const;
    }

    const expiresAt = minDate(addSeconds(now, env().REFRESH_IDLE_TTL_SECONDS), session.absoluteExpiresAt);
    await tx
      .update(sessions)
      .set({ lastUsedAt: now, expiresAt, ip: input.meta.ip ?? undefined, userAgent: input.meta.userAgent ?? undefined })
      .where(eq(sessions.id, session.id));
    return {
      ok: true,
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        emailVerified: user.emailVerifiedAt !== null,
      },
      refresh: { sessionId: session.id, refreshToken: current, expiresAt },
    } as const;
  });
}

/** Follows successors from an already-rotated token to the family's live one. */
async function currentTokenOfChain(db: Executor, presented: string, firstSuccessorId: string | null): Promise<string | null> {
  let raw = presented;
  let nextId = firstSuccessorId;
  for (let step = 0; step < MAX_SUCCESSOR_WALK && nextId; step++) {
    raw = successorOf(raw);
    const [next] = await db
      .select({ tokenHash: refreshTokens.tokenHash, successorId: refreshTokens.successorId, rotatedAt: refreshTokens.rotatedAt })
      .from(refreshTokens)
      .where(eq(refreshTokens.id, nextId));
    // A mismatch means the successor key changed (AUTH_SECRET rotated): no convergence then.
    if (!next || next.tokenHash !== hashToken(raw)) return null;
    if (!next.rotatedAt) return raw;
    nextId = next.successorId;
  }
  return null;
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

/** `role` is the user's role now, in the database: what admin checks go by, not the JWT's claim. */
export type LiveSession = { id: string; userId: string; role: Role; expiresAt: Date };

/** Sensitive operations ask the database, not the JWT, whether a session still stands. */
export async function findLiveSession(db: Executor, sessionId: string, now: Date): Promise<LiveSession | null> {
  const [row] = await db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      expiresAt: sessions.expiresAt,
      absoluteExpiresAt: sessions.absoluteExpiresAt,
      revokedAt: sessions.revokedAt,
      role: users.role,
      disabledAt: users.disabledAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sessionId));
  if (!row || row.revokedAt || row.disabledAt) return null;
  if (now >= row.expiresAt || now >= row.absoluteExpiresAt) return null;
  return { id: row.id, userId: row.userId, role: row.role, expiresAt: row.expiresAt };
}

export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

function minDate(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}
