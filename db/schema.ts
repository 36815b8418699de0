import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

// One schema for PGlite and PostgreSQL. Ids and timestamps are made in
// TypeScript, never by database defaults, so tests can move the clock and
// both engines behave the same.

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey(),
    /** As the user typed it (trimmed, NFKC), for display and for sending mail. */
    email: text("email").notNull(),
    /** Lower-cased canonical form: the only column that identifies an account. */
    emailCanonical: text("email_canonical").notNull(),
    name: text("name").notNull(),
    /**
     * Null: no password can sign in. A link confirmed in a browser that did not
     * sign up discards the password chosen there (docs/decisions/0019).
     */
    passwordHash: text("password_hash"),
    role: text("role", { enum: ["user", "admin"] }).notNull().default("user"),
    emailVerifiedAt: at("email_verified_at"),
    disabledAt: at("disabled_at"),
    /** The owner's choice on /settings/notifications: email them when an unseen kind of device signs in. */
    newDeviceSignInEmails: boolean("new_device_sign_in_emails").notNull().default(true),
    /**
     * When the newest session began (a sign-in or a confirmed email). Kept
     * here, not read from sessions: retention deletes ended sessions
     * (docs/decisions/0029), and /admin must not then say "never".
     */
    lastSignInAt: at("last_sign_in_at"),
    createdAt: at("created_at").notNull(),
    updatedAt: at("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("users_email_canonical_key").on(t.emailCanonical),
    check("users_role_check", sql`${t.role} in ('user', 'admin')`),
  ],
);

/**
 * An account at a single sign-on provider that signs in to this user
 * (lib/auth/sso/). The provider's subject identifies it, never its email.
 */
export const userIdentities = pgTable(
  "user_identities",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The id it has in OIDC_PROVIDERS. */
    provider: text("provider").notNull(),
    /** The ID token's `sub` (GitHub: the numeric user id). */
    subject: text("subject").notNull(),
    /** The address the provider last reported, shown on /account only. */
    email: text("email"),
    createdAt: at("created_at").notNull(),
    lastUsedAt: at("last_used_at").notNull(),
  },
  (t) => [uniqueIndex("user_identities_provider_subject_key").on(t.provider, t.subject), index("user_identities_user_id_idx").on(t.userId)],
);

/** One row per login: the refresh-token family (RFC 9700 §4.14.2). */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["browser", "native"] }).notNull(),
    userAgent: text("user_agent"),
    ip: text("ip"),
    createdAt: at("created_at").notNull(),
    lastUsedAt: at("last_used_at").notNull(),
    /** Idle expiry: moves forward on every refresh, never past absoluteExpiresAt. */
    expiresAt: at("expires_at").notNull(),
    absoluteExpiresAt: at("absolute_expires_at").notNull(),
    revokedAt: at("revoked_at"),
    revokedReason: text("revoked_reason"),
    /**
     * When the person last proved who they are in this session: at sign-in,
     * and again at each step-up (lib/auth/step-up/). Sensitive actions want it
     * within the last 10 minutes.
     */
    authenticatedAt: at("authenticated_at").notNull(),
    /** This session was opened or stepped up with two factors (a TOTP or recovery code after the password, or a passkey). */
    twoFactor: boolean("two_factor").notNull().default(false),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);

/** Every refresh token ever issued in a family; only SHA-256 hashes are kept. */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: uuid("id").primaryKey(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: at("created_at").notNull(),
    /** Set when this token was exchanged; presenting it afterwards converges or is reuse (docs/decisions/0021). */
    rotatedAt: at("rotated_at"),
    successorId: uuid("successor_id"),
    /**
     * Set when this token was handed out again, after the grace window, to
     * whoever presented its parent: two holders may have it now, so presenting
     * it once it has rotated is reuse, however late (docs/decisions/0021).
     */
    reissuedAt: at("reissued_at"),
  },
  (t) => [uniqueIndex("refresh_tokens_token_hash_key").on(t.tokenHash), index("refresh_tokens_session_id_idx").on(t.sessionId)],
);

export const oneTimeTokens = pgTable(
  "one_time_tokens",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ["verify_email", "reset_password"] }).notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: at("created_at").notNull(),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
  },
  (t) => [
    uniqueIndex("one_time_tokens_token_hash_key").on(t.tokenHash),
    index("one_time_tokens_user_purpose_idx").on(t.userId, t.purpose),
  ],
);

/**
 * Codes the authorization endpoint hands a native app through the browser
 * (RFC 6749 §4.1, PKCE RFC 7636, docs/decisions/0034): only the SHA-256 of
 * the code is kept, bound to the client, its redirect URI, the PKCE
 * challenge and the user; single use, 60 seconds.
 */
export const authorizationCodes = pgTable(
  "authorization_codes",
  {
    id: uuid("id").primaryKey(),
    codeHash: text("code_hash").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    clientId: text("client_id").notNull(),
    redirectUri: text("redirect_uri").notNull(),
    /** BASE64URL(SHA-256(code_verifier)); only S256 is accepted. */
    codeChallenge: text("code_challenge").notNull(),
    createdAt: at("created_at").notNull(),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
    /**
     * The browser session's last authentication, and whether it took two
     * factors: the native session the code opens inherits both, so a code
     * minted from an idle tab cannot open a session that skips step-up.
     */
    authenticatedAt: at("authenticated_at").notNull(),
    twoFactor: boolean("two_factor").notNull().default(false),
    /** The native session the redemption opened: presenting the code again revokes it (RFC 6749 §4.1.2). */
    sessionId: uuid("session_id").references(() => sessions.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("authorization_codes_code_hash_key").on(t.codeHash),
    // Retention deletes codes a day past their expiry (lib/retention/rules.ts).
    index("authorization_codes_expires_idx").on(t.expiresAt),
    // Deleting an ended session sets this to null: without an index each deletion would scan the table.
    index("authorization_codes_session_idx").on(t.sessionId),
  ],
);

export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid("id").primaryKey(),
    kind: text("kind").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    /**
     * Both parts of the message, sealed with AES-256-GCM (lib/email/seal.ts):
     * they carry sign-in links. Null from the moment the message is sent,
     * fails for good or its link dies, so no row or backup keeps a usable link.
     */
    sealedBody: text("sealed_body"),
    createdAt: at("created_at").notNull(),
    /** When the next delivery attempt is due (back-off after a failure). */
    nextAttemptAt: at("next_attempt_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    /** A worker owns the row until then; a crashed worker's claim lapses. */
    claimedUntil: at("claimed_until"),
    lastError: text("last_error"),
    sentAt: at("sent_at"),
    failedAt: at("failed_at"),
    providerMessageId: text("provider_message_id"),
    /** The link this message carries: its lifetime restarts when the message is sent. */
    oneTimeTokenId: uuid("one_time_token_id").references(() => oneTimeTokens.id, { onDelete: "set null" }),
  },
  (t) => [
    index("email_outbox_due_idx").on(t.nextAttemptAt),
    index("email_outbox_to_idx").on(t.toAddress),
    // Deleting a one-time token sets this to null: without an index, each deleted token scans the outbox (docs/decisions/0029).
    index("email_outbox_one_time_token_idx").on(t.oneTimeTokenId),
  ],
);

/**
 * The email provider refusing Doorman's own configuration (its API key, or the
 * sending domain or address): a fault of no message, so it holds them all
 * instead of failing them. One row while it lasts, none once a send succeeds;
 * in the database, so every instance and /admin see it (lib/email/provider-fault.ts).
 */
export const emailProviderFaults = pgTable("email_provider_faults", {
  provider: text("provider").primaryKey(),
  /** The provider's HTTP status and its error code (Resend's `name`), never its message or our key. */
  status: integer("status"),
  code: text("code").notNull(),
  firstSeenAt: at("first_seen_at").notNull(),
  lastSeenAt: at("last_seen_at").notNull(),
});

/** Fixed-window counters, updated with one atomic upsert so every instance shares them. */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  count: integer("count").notNull(),
  windowStartedAt: at("window_started_at").notNull(),
  blockedUntil: at("blocked_until"),
});

export const securityEvents = pgTable(
  "security_events",
  {
    id: uuid("id").primaryKey(),
    type: text("type").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    sessionId: uuid("session_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
    createdAt: at("created_at").notNull(),
  },
  (t) => [
    index("security_events_user_idx").on(t.userId, t.createdAt),
    index("security_events_type_idx").on(t.type),
    // Retention deletes the oldest (docs/decisions/0029); a year of events is the largest table it scans.
    index("security_events_created_idx").on(t.createdAt),
  ],
);

/**
 * Personal access tokens for scripts and services (lib/auth/api-keys/,
 * docs/decisions/0035). Only the SHA-256 of the key is kept: the key itself
 * is shown once, at creation.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** `dmn_` and the first characters of the random part: enough to recognise a key in a list or a log, too few to matter. */
    prefix: text("prefix").notNull(),
    /** SHA-256 (hex) of the whole key. */
    keyHash: text("key_hash").notNull(),
    scopes: text("scopes").array().notNull(),
    createdAt: at("created_at").notNull(),
    /** Null: never expires (only when API_KEY_MAX_DAYS is unset). */
    expiresAt: at("expires_at"),
    revokedAt: at("revoked_at"),
    /** Written at most once a minute per key (lib/auth/api-keys/authenticate-api-key.ts). */
    lastUsedAt: at("last_used_at"),
    lastUsedIp: text("last_used_ip"),
  },
  (t) => [uniqueIndex("api_keys_key_hash_key").on(t.keyHash), index("api_keys_user_id_idx").on(t.userId)],
);

/**
 * An authenticator app's shared secret (RFC 6238; lib/auth/second-factor/).
 * One per user. The secret is sealed with AUTH_SECRET, never stored plain.
 * Null confirmedAt: enrolment began and no valid code has been typed yet, so
 * it does not guard sign-in.
 */
export const totpFactors = pgTable("totp_factors", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secretSealed: text("secret_sealed").notNull(),
  confirmedAt: at("confirmed_at"),
  /** The time step of the last code accepted: a code of this step or an earlier one is never taken again. */
  lastUsedStep: integer("last_used_step").notNull().default(0),
  createdAt: at("created_at").notNull(),
});

/** Single-use recovery codes, made ten at a time when TOTP is switched on; only their SHA-256 is kept. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: at("used_at"),
    createdAt: at("created_at").notNull(),
  },
  (t) => [uniqueIndex("recovery_codes_user_code_key").on(t.userId, t.codeHash)],
);

/** WebAuthn credentials (passkeys) registered by a user (lib/auth/passkeys/). */
export const passkeys = pgTable(
  "passkeys",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The authenticator's credential id, base64url. */
    credentialId: text("credential_id").notNull(),
    /** COSE public key, base64url. */
    publicKey: text("public_key").notNull(),
    /** The signature counter last seen; 0 for authenticators that do not count. */
    counter: integer("counter").notNull().default(0),
    transports: text("transports").array().notNull(),
    /** "singleDevice" or "multiDevice" (synced). */
    deviceType: text("device_type").notNull(),
    backedUp: boolean("backed_up").notNull(),
    name: text("name").notNull(),
    createdAt: at("created_at").notNull(),
    lastUsedAt: at("last_used_at"),
  },
  (t) => [uniqueIndex("passkeys_credential_id_key").on(t.credentialId), index("passkeys_user_id_idx").on(t.userId)],
);

/**
 * WebAuthn challenges, kept server-side: each is deleted by the one request
 * that verifies it (single use), lives a few minutes, and is bound to its
 * ceremony (purpose, and the user and session that asked, when there is one).
 */
export const webauthnChallenges = pgTable("webauthn_challenges", {
  id: uuid("id").primaryKey(),
  challenge: text("challenge").notNull(),
  purpose: text("purpose", { enum: ["register", "sign_in", "second_factor", "reauthenticate"] }).notNull(),
  userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
  sessionId: uuid("session_id"),
  expiresAt: at("expires_at").notNull(),
  createdAt: at("created_at").notNull(),
});

/** Settings an administrator changes at run time (/admin/settings), one row per key. */
export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: at("updated_at").notNull(),
  updatedBy: uuid("updated_by"),
});
