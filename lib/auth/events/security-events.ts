import { securityEvents } from "@/db/schema";
import type { Executor } from "@/db/client";
import type { ClientMeta } from "@/lib/http/client-meta";
import { logEvent } from "@/lib/log";

export type SecurityEventType =
  | "sign_in"
  | "sign_in_failed"
  | "sign_in_throttled"
  | "sign_up"
  | "email_verified"
  | "refresh_token_reuse"
  // A native app's authorization code presented again: the session it opened is revoked.
  | "authorization_code_reuse"
  | "session_revoked"
  | "sign_out"
  | "sessions_revoked"
  | "password_changed"
  | "password_reset_requested"
  | "password_reset"
  | "notifications_changed"
  // A single sign-on provider's account linked to or unlinked from this one; `detail.provider` names it.
  | "provider_linked"
  | "provider_unlinked"
  // An API key made or revoked; `detail` names it (keyId, name, prefix) and, when an administrator revoked it, `actorId`.
  | "api_key_created"
  | "api_key_revoked"
  // Second factors (lib/auth/second-factor/, lib/auth/passkeys/). `detail` names the method or the passkey.
  | "totp_enabled"
  | "totp_disabled"
  | "recovery_codes_generated"
  | "recovery_code_used"
  | "second_factor_failed"
  | "passkey_added"
  | "passkey_removed"
  // A session proved its person again for a sensitive action (lib/auth/step-up/); `detail.method` says how.
  | "reauthenticated"
  // What an administrator did to the account; `detail.actorId` names the admin.
  | "admin_sessions_revoked"
  | "account_disabled"
  | "account_enabled"
  | "role_changed"
  | "second_factors_reset"
  // An administrator changed a run-time setting (/admin/settings); `detail` has the key, the new value and `actorId`.
  | "setting_changed";

export async function recordSecurityEvent(
  db: Executor,
  event: {
    type: SecurityEventType;
    userId: string | null;
    sessionId?: string | null;
    meta: ClientMeta;
    detail?: Record<string, unknown>;
    now: Date;
  },
): Promise<void> {
  await db.insert(securityEvents).values({
    id: crypto.randomUUID(),
    type: event.type,
    userId: event.userId,
    sessionId: event.sessionId ?? null,
    ip: event.meta.ip,
    userAgent: event.meta.userAgent,
    detail: event.detail ?? null,
    createdAt: event.now,
  });
  logEvent(event.type === "refresh_token_reuse" || event.type === "authorization_code_reuse" ? "warn" : "info", `auth.${event.type}`, {
    userId: event.userId,
    sessionId: event.sessionId ?? null,
    ip: event.meta.ip,
  });
}
