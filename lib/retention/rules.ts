import { sql, type SQL } from "drizzle-orm";
import { IP_LIMITS } from "@/lib/auth/limits/ip-limits";
import { FORGET_AFTER_SECONDS } from "@/lib/auth/limits/login-throttle";
import { EMAILS_PER_ADDRESS } from "@/lib/email/address-cap";
import type { RetentionPolicy } from "@/lib/retention/policy";

// What retention deletes, table by table (docs/decisions/0029). Each rule is
// a condition on one table's rows; lib/retention/prune.ts deletes the rows
// that meet it in bounded batches. Only rows that no request can still use,
// or whose absence answers exactly as their presence would, ever qualify.

export const PRUNED_TABLES = ["authorization_codes", "refresh_tokens", "sessions", "one_time_tokens", "email_outbox", "rate_limits", "security_events", "api_keys", "webauthn_challenges"] as const;
export type PrunedTable = (typeof PRUNED_TABLES)[number];

export type RetentionRule = {
  table: PrunedTable;
  /** The table's primary key. */
  key: "id" | "key";
  /** Which of its rows may go, over the unaliased table. */
  condition: SQL;
};

/**
 * The longest a rate-limit row can still count: the longest window of any
 * limit, and the login throttle's memory of a failure streak. A row older
 * than that is counted afresh by the next hit exactly as a missing one would be.
 */
export const RATE_LIMIT_SPAN_SECONDS = Math.max(
  FORGET_AFTER_SECONDS,
  EMAILS_PER_ADDRESS.windowSeconds,
  ...Object.values(IP_LIMITS).map((rule) => rule.windowSeconds),
);

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Native apps' authorization codes live 60 seconds; a used one is kept a day
 * past its expiry so that presenting it again still revokes the session its
 * redemption opened (lib/auth/native/code-grant.ts). Later, a replay is
 * refused all the same, as an unknown code.
 */
export const AUTHORIZATION_CODE_KEEP_DAYS = 1;

/** In the order they run: a session's tokens go before the session. */
export function retentionRules(policy: RetentionPolicy, now: Date): RetentionRule[] {
  const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
  const daysAgo = (days: number) => at(new Date(now.getTime() - days * DAY_MS));
  // Over for good: a revoked session stays revoked, and no refresh moves an
  // expiry that has passed (rotation requires now < expires_at).
  const endedBefore = (cutoff: SQL) => sql`(revoked_at < ${cutoff} or least(expires_at, absolute_expires_at) < ${cutoff})`;
  return [
    {
      // Used or not, a code past its expiry can never be redeemed (the redemption's UPDATE requires expires_at > now).
      table: "authorization_codes",
      key: "id",
      condition: sql`expires_at < ${daysAgo(AUTHORIZATION_CODE_KEEP_DAYS)}`,
    },
    {
      // Never a live session's: a replayed old token of a live session must
      // still be recognised as reuse and end it (lib/auth/sessions/rotate-refresh-token.ts).
      table: "refresh_tokens",
      key: "id",
      condition: sql`session_id in (select id from sessions where ${endedBefore(daysAgo(policy.sessionTokenDays))})`,
    },
    {
      // Its tokens first, each batch bounded: the foreign key's cascade would delete them all in one statement.
      table: "sessions",
      key: "id",
      condition: sql`${endedBefore(daysAgo(policy.sessionDays))}
        and not exists (select 1 from refresh_tokens rt where rt.session_id = sessions.id)`,
    },
    {
      // Not while a message carrying it waits to be sent: the next delivery
      // run erases that message as a dead link (lib/email/deliver.ts), where
      // without the token's row it would send a link that no longer works.
      table: "one_time_tokens",
      key: "id",
      condition: sql`expires_at < ${at(now)}
        and not exists (select 1 from email_outbox o
                         where o.one_time_token_id = one_time_tokens.id and o.sent_at is null and o.failed_at is null)`,
    },
    {
      table: "email_outbox",
      key: "id",
      condition: sql`coalesce(sent_at, failed_at) < ${daysAgo(policy.outboxDays)}`,
    },
    {
      table: "rate_limits",
      key: "key",
      condition: sql`window_started_at < ${at(new Date(now.getTime() - RATE_LIMIT_SPAN_SECONDS * 1000))}
        and (blocked_until is null or blocked_until <= ${at(now)})`,
    },
    {
      table: "security_events",
      key: "id",
      condition: sql`created_at < ${daysAgo(policy.securityEventDays)}`,
    },
    {
      // Revoked or expired keys are refused alike whether their row is there
      // or not; kept a while so the owner's list and the admin's still show
      // what expired. A key without an expiry stays until it is revoked.
      table: "api_keys",
      key: "id",
      condition: sql`coalesce(revoked_at, expires_at) < ${daysAgo(policy.apiKeyDays)}`,
    },
    {
      // A passkey ceremony left unfinished (every /login view where the browser
      // offers passkeys in autofill starts one): past its expiry no verification takes it.
      table: "webauthn_challenges",
      key: "id",
      condition: sql`expires_at < ${at(now)}`,
    },
  ];
}
