import { env } from "@/lib/env";

/** How long finished rows are kept, in days (fractions allowed); docs/decisions/0029. */
export type RetentionPolicy = {
  /** Refresh-token rows of a session that ended (revoked or expired) this long ago. A live session keeps all of its own. */
  sessionTokenDays: number;
  /** Ended sessions, once their refresh-token rows are gone. */
  sessionDays: number;
  /** Email sent, or given up on, this long ago. */
  outboxDays: number;
  securityEventDays: number;
  /** API keys revoked, or expired, this long ago (docs/decisions/0035). */
  apiKeyDays: number;
};

export type RetentionSettings = { policy: RetentionPolicy; batchSize: number };

/** The configured policy (RETENTION_* in lib/env.ts). */
export function retentionSettings(): RetentionSettings {
  const e = env();
  return {
    policy: {
      sessionTokenDays: e.RETENTION_SESSION_TOKEN_DAYS,
      sessionDays: e.RETENTION_SESSION_DAYS,
      outboxDays: e.RETENTION_OUTBOX_DAYS,
      securityEventDays: e.RETENTION_SECURITY_EVENT_DAYS,
      apiKeyDays: e.RETENTION_API_KEY_DAYS,
    },
    batchSize: e.RETENTION_BATCH_SIZE,
  };
}
