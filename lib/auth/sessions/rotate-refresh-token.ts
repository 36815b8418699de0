import { eq, sql, type SQL } from "drizzle-orm";
import { executeRows, getDb, type Executor } from "@/db/client";
import { refreshTokens, sessions, users } from "@/db/schema";
import { env } from "@/lib/env";
import { ipLimit } from "@/lib/auth/limits/ip-limits";
import { countHit, judgeHit, refuseOverLimit, type CountedHit, type RateLimitResult } from "@/lib/auth/limits/rate-limit";
import { hashToken, successorOf } from "@/lib/auth/sessions/refresh-token";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { addSeconds, idleExpiresAt, revokeSessionRow, type IssuedRefresh, type SessionKind, type SessionUser } from "@/lib/auth/sessions/session";
import { toPublicUser } from "@/lib/auth/accounts/users";
import type { ClientMeta } from "@/lib/http/client-meta";
import type { Role } from "@/lib/auth/edge/jwt";

export type RotateResult =
  | { ok: true; user: SessionUser; refresh: IssuedRefresh }
  | { ok: false; reason: "unknown" | "expired" | "revoked" | "reused" };

type Rotated = Extract<RotateResult, { ok: true }>;
type RotateInput = { meta: ClientMeta; kind: SessionKind; now: Date };

/** Longest chain a grace-window retry may walk; a family rotates far less within 10 s. */
const MAX_SUCCESSOR_WALK = 64;

/**
 * Exchanges a refresh token for its successor (RFC 9700 §4.14.2), and counts
 * the attempt against the client address's refresh allowance (lib/auth/limits/ip-limits.ts),
 * whether it succeeds or not: over the limit, it throws rateLimited and
 * rotates nothing. The browser's refresh cookie and the native token
 * endpoint's refresh grant both come here: the rules below are the same for both.
 *
 * Nearly every refresh presents its family's live token: one statement counts
 * the attempt and rotates it (countAndRotate), without an explicit
 * transaction. Any other token finds no row there, writes nothing but the
 * count, and is settled by settleUnderLock in a transaction holding the same
 * row locks (docs/decisions/0014, 0022).
 */
export async function rotateRefreshToken(presented: string, input: RotateInput): Promise<RotateResult> {
  const db = await getDb();
  const { hit, rotated } = await countAndRotate(db, presented, input);
  refuseOverLimit(hit);
  return rotated ?? db.transaction((tx) => settleUnderLock(tx, presented, input));
}

type FreshRotationRow = {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  email_verified: boolean;
  session_id: string;
  expires_at: string;
};

/** The counter's window, beside the rotation's row or, when nothing rotated, nulls. */
type CountedRotationRow = CountedHit & (FreshRotationRow | Record<keyof FreshRotationRow, null>);

/**
 * The refresh allowance's counter (lib/auth/limits/rate-limit.ts's countHit) as the
 * first step of the statement that rotates a fresh token: one round trip and
 * one commit for both. The count is taken before any token row is read (a
 * one-time filter on `presented`), and a hit over the limit gates the
 * rotation off, so the statement then only counts. The counter's row stays
 * locked until the statement ends: other refreshes from the same address wait
 * for the rotation too, not only for the count (docs/decisions/0022).
 */
async function countAndRotate(db: Executor, presented: string, input: RotateInput): Promise<{ hit: RateLimitResult; rotated: Rotated | null }> {
  const { key, rule } = ipLimit("refresh", input.meta);
  const rotation = freshRotation(presented, input, sql`(select count from hit) <= ${rule.limit}`);
  const [row] = await executeRows<CountedRotationRow>(
    db,
    sql`with hit as (${countHit(key, rule, input.now)}), ${rotation.steps}
        select hit.count, hit.window_started_at, renewed.* from hit left join renewed on true`,
    "count_and_rotate",
  );
  const counted = row!;
  return { hit: judgeHit(counted, rule, input.now), rotated: counted.session_id === null ? null : rotation.result(counted) };
}

/**
 * Rotates a token that has not been rotated yet, of a live session of the
 * right kind, in ONE statement; otherwise returns null and writes nothing.
 * The locked path's way to rotate, under its own locks: its attempt was counted already.
 */
async function rotateFreshToken(db: Executor, presented: string, input: RotateInput): Promise<Rotated | null> {
  const rotation = freshRotation(presented, input, sql`true`);
  const [row] = await executeRows<FreshRotationRow>(db, sql`with ${rotation.steps} select * from renewed`, "rotate_fresh");
  return row ? rotation.result(row) : null;
}

/**
 * The steps that rotate a fresh token, as common table expressions ending in
 * `renewed`, which yields one row when the token rotated and none otherwise;
 * `gate` must hold as well.
 *
 * Why it is safe:
 * - All or nothing. The three writes (successor inserted, token marked
 *   rotated, session renewed) are fed by the single row `presented` yields:
 *   one row, all three happen; none, none does. One statement is atomic, so
 *   an error in any of them undoes the others.
 * - `presented` applies the slow path's checks in SQL (kind, not revoked, user
 *   not disabled, idle and absolute expiry, not yet rotated) and locks the
 *   token and session rows exactly as the slow path does.
 * - PostgreSQL, READ COMMITTED: a concurrent refresh of the same token waits
 *   for those locks, then re-checks its WHERE against the committed rows
 *   (EvalPlanQual). `rotated_at` is set by then, so it gets no row, writes
 *   nothing, and settleUnderLock hands it the family's current token (grace
 *   window) or treats it as reuse. A logout that commits first is seen the
 *   same way (`revoked_at`); one that comes later waits for this statement.
 * - PGlite runs one statement or one transaction at a time.
 * - `now` comes from JS (tests move the clock); the database's clock is never read.
 */
function freshRotation(presented: string, input: RotateInput, gate: SQL): { steps: SQL; result: (row: FreshRotationRow) => Rotated } {
  const successor = successorOf(presented);
  const successorId = crypto.randomUUID();
  const now = input.now.toISOString();
  // createSession's rule (idleExpiresAt), in SQL: forward by the idle TTL, never past the absolute expiry.
  const idleExpiry = addSeconds(input.now, env().REFRESH_IDLE_TTL_SECONDS).toISOString();
  const steps = sql`
      presented as materialized (
        select rt.id as token_id, s.id as session_id,
               u.id as user_id, u.email, u.name, u.role, u.email_verified_at is not null as email_verified
          from refresh_tokens rt
          join sessions s on s.id = rt.session_id
          join users u on u.id = s.user_id
         where rt.token_hash = ${hashToken(presented)}
           and rt.rotated_at is null
           and s.kind = ${input.kind}
           and s.revoked_at is null
           and u.disabled_at is null
           and ${now}::timestamptz < s.expires_at
           and ${now}::timestamptz < s.absolute_expires_at
           and ${gate}
           for update of rt, s
      ),
      successor as (
        insert into refresh_tokens (id, session_id, token_hash, created_at)
        select ${successorId}::uuid, session_id, ${hashToken(successor)}, ${now}::timestamptz from presented
      ),
      rotated as (
        update refresh_tokens rt
           set rotated_at = ${now}::timestamptz, successor_id = ${successorId}::uuid
          from presented
         where rt.id = presented.token_id
      ),
      renewed as (
        update sessions s
           set last_used_at = ${now}::timestamptz,
               expires_at = least(${idleExpiry}::timestamptz, s.absolute_expires_at),
               ip = coalesce(${input.meta.ip}, s.ip),
               user_agent = coalesce(${input.meta.userAgent}, s.user_agent)
          from presented
         where s.id = presented.session_id
        returning presented.user_id, presented.email, presented.name, presented.role, presented.email_verified,
                  s.id as session_id, s.expires_at
      )`;
  // timestamptz arrives as text on both drivers; drizzle's own column decoder reads it the same way.
  const result = (row: FreshRotationRow): Rotated => ({
    ok: true,
    user: { id: row.user_id, email: row.email, name: row.name, role: row.role, emailVerified: row.email_verified },
    refresh: { sessionId: row.session_id, refreshToken: successor, expiresAt: new Date(row.expires_at) },
  });
  return { steps, result };
}

/**
 * Every token rotateFreshToken passed over: unknown, of the wrong kind, of a
 * session that is over, or already rotated. The token and session rows stay
 * locked until the transaction ends, so concurrent refreshes of one family
 * are settled one at a time. A rotated token converges on the family's
 * current one within REFRESH_REUSE_GRACE_SECONDS of its rotation, and after
 * that only while its successor was never used (a lost answer); anything else
 * is reuse: the whole family is revoked and a security event recorded.
 */
async function settleUnderLock(tx: Executor, presented: string, input: RotateInput): Promise<RotateResult> {
  const { now } = input;
  const [row] = await tx
    .select({
      rotatedAt: refreshTokens.rotatedAt,
      successorId: refreshTokens.successorId,
      reissuedAt: refreshTokens.reissuedAt,
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
  if (!row || row.session.kind !== input.kind) return { ok: false, reason: "unknown" };
  const { session, user } = row;
  if (session.revokedAt || user.disabledAt) return { ok: false, reason: "revoked" };
  if (now >= session.expiresAt || now >= session.absoluteExpiresAt) return { ok: false, reason: "expired" };

  if (!row.rotatedAt) {
    // Fresh and live now, though the fast statement passed it over: its user
    // was re-enabled in between. Rotate it with that same statement, under
    // this transaction's locks. The user row is not locked, so the statement
    // finds nothing only if the user was disabled again meanwhile.
    return (await rotateFreshToken(tx, presented, input)) ?? { ok: false, reason: "revoked" };
  }

  let current: string | null;
  if (now.getTime() - row.rotatedAt.getTime() <= env().REFRESH_REUSE_GRACE_SECONDS * 1000) {
    current = await currentTokenOfChain(tx, presented, row.successorId);
    if (!current) return { ok: false, reason: "unknown" };
  } else {
    const successor = row.successorId && !row.reissuedAt ? await successorLink(tx, presented, row.successorId) : null;
    if (!successor || successor.rotatedAt) {
      await revokeSessionRow(tx, session.id, "refresh_token_reuse", now);
      await recordSecurityEvent(tx, {
        type: "refresh_token_reuse",
        userId: user.id,
        sessionId: session.id,
        meta: input.meta,
        detail: { rotatedAt: row.rotatedAt.toISOString() },
        now,
      });
      return { ok: false, reason: "reused" };
    }
    // Its answer was lost (an aborted navigation, a flaky network, a 503
    // whose rotation committed anyway): the successor was never used, so the
    // holder of its parent gets that same successor (docs/decisions/0021).
    await tx.update(refreshTokens).set({ reissuedAt: now }).where(eq(refreshTokens.id, successor.id));
    current = successor.raw;
  }

  const expiresAt = idleExpiresAt(now, session.absoluteExpiresAt);
  await tx
    .update(sessions)
    .set({ lastUsedAt: now, expiresAt, ip: input.meta.ip ?? undefined, userAgent: input.meta.userAgent ?? undefined })
    .where(eq(sessions.id, session.id));
  return { ok: true, user: toPublicUser(user), refresh: { sessionId: session.id, refreshToken: current, expiresAt } };
}

type SuccessorLink = { id: string; raw: string; rotatedAt: Date | null; successorId: string | null };

/** The successor `id` of `raw`, derived and checked against its stored hash; null if that fails. */
async function successorLink(db: Executor, raw: string, id: string): Promise<SuccessorLink | null> {
  const [next] = await db
    .select({ tokenHash: refreshTokens.tokenHash, successorId: refreshTokens.successorId, rotatedAt: refreshTokens.rotatedAt })
    .from(refreshTokens)
    .where(eq(refreshTokens.id, id));
  const derived = successorOf(raw);
  // A mismatch means the successor key changed (AUTH_SECRET rotated): no convergence then.
  return next && next.tokenHash === hashToken(derived) ? { id, raw: derived, rotatedAt: next.rotatedAt, successorId: next.successorId } : null;
}

/** Follows successors from an already-rotated token to the family's live one. */
async function currentTokenOfChain(db: Executor, presented: string, firstSuccessorId: string | null): Promise<string | null> {
  let raw = presented;
  let nextId = firstSuccessorId;
  for (let step = 0; step < MAX_SUCCESSOR_WALK && nextId; step++) {
    const next = await successorLink(db, raw, nextId);
    if (!next) return null;
    if (!next.rotatedAt) return next.raw;
    raw = next.raw;
    nextId = next.successorId;
  }
  return null;
}
