import { and, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type Executor } from "@/db/client";
import { securityEvents, users } from "@/db/schema";
import { describeSecurityEvent } from "@/lib/auth/events/describe-security-event";
import type { SecurityEventType } from "@/lib/auth/events/security-events";

// A user's security events as sentences, newest first: for the owner on
// /account, and for admins on the user's page.

export type SecurityActivity = {
  id: string;
  type: string;
  createdAt: string;
  description: string;
  /** Where the request came from; for an administrator's action the owner sees null (the address is the admin's). */
  ip: string | null;
  userAgent: string | null;
  /** The administrator who acted; only admins are told who. */
  actor: { id: string; email: string } | null;
};

export const ACCOUNT_ACTIVITY_LIMIT = 20;
export const ADMIN_ACTIVITY_LIMIT = 50;

const ADMIN_ACTIONS: SecurityEventType[] = ["admin_sessions_revoked", "account_disabled", "account_enabled", "role_changed", "second_factors_reset"];

/**
 * What the owner is shown. Not failed sign-ins: anyone who knows the address
 * can add those, and would push the real events off a list of twenty (the
 * throttle event still says when guessing was stopped). Not routine sign-outs,
 * nor the "sessions ended" that a password change or reset already reports.
 */
const OWNER_TYPES: SecurityEventType[] = [
  "sign_up",
  "email_verified",
  "sign_in",
  "sign_in_throttled",
  "refresh_token_reuse",
  "authorization_code_reuse",
  "session_revoked",
  "password_changed",
  "password_reset_requested",
  "password_reset",
  "notifications_changed",
  "api_key_created",
  "api_key_revoked",
  "totp_enabled",
  "totp_disabled",
  "recovery_codes_generated",
  "recovery_code_used",
  "passkey_added",
  "passkey_removed",
  ...ADMIN_ACTIONS,
];

const ownerVisible = or(
  inArray(securityEvents.type, OWNER_TYPES),
  and(eq(securityEvents.type, "sessions_revoked"), sql`${securityEvents.detail}->>'reason' = 'sign_out_everywhere'`),
);

/** The signed-in user's own recent activity (the /account page). */
export async function listAccountActivity(userId: string, limit = ACCOUNT_ACTIVITY_LIMIT): Promise<SecurityActivity[]> {
  const events = await selectActivity(await getDb(), userId, limit, ownerVisible);
  // An administrator's action (an API key they revoked included) shows neither their address nor who they are.
  return events.map((event) =>
    ADMIN_ACTIONS.includes(event.type as SecurityEventType) || event.actor ? { ...event, ip: null, userAgent: null, actor: null } : event,
  );
}

/** Everything recorded about a user, with the acting admin named (the admin console). */
export function listUserActivityForAdmin(db: Executor, userId: string, limit = ADMIN_ACTIVITY_LIMIT): Promise<SecurityActivity[]> {
  return selectActivity(db, userId, limit, undefined);
}

async function selectActivity(db: Executor, userId: string, limit: number, filter: SQL | undefined): Promise<SecurityActivity[]> {
  const actor = alias(users, "actor");
  const rows = await db
    .select({
      id: securityEvents.id,
      type: securityEvents.type,
      createdAt: securityEvents.createdAt,
      ip: securityEvents.ip,
      userAgent: securityEvents.userAgent,
      detail: securityEvents.detail,
      actorId: actor.id,
      actorEmail: actor.email,
    })
    .from(securityEvents)
    // Compared as text: detail is free-form JSON, and a cast to uuid could fail on a row written by someone else.
    .leftJoin(actor, sql`${actor.id}::text = ${securityEvents.detail}->>'actorId'`)
    .where(and(eq(securityEvents.userId, userId), filter))
    .orderBy(desc(securityEvents.createdAt), desc(securityEvents.id))
    .limit(limit);
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    createdAt: row.createdAt.toISOString(),
    description: describeSecurityEvent(row.type, row.detail),
    ip: row.ip,
    userAgent: row.userAgent,
    actor: row.actorId && row.actorEmail ? { id: row.actorId, email: row.actorEmail } : null,
  }));
}
