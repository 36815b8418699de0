import { z } from "zod";
import { parseProviders } from "@/lib/auth/sso/providers";
import { isVercelDeployment, vercelOrigins } from "@/lib/vercel";

// The only module that reads process.env. It is edge-safe (no Node built-ins),
// because the middleware needs APP_URL, the public keys and the token lifetimes.
// Everything is parsed lazily, on first use, so `next build` needs no secrets.

const KNOWN_SAMPLE_SECRETS = new Set([
  "changeme",
  "change-me",
  "secret",
  "password",
  "replace-me-with-a-long-random-string",
  "complex_password_at_least_32_characters_long",
  "your-secret-here-at-least-32-characters-long",
  "0000000000000000000000000000000000000000000000000000000000000000",
]);

const booleanString = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

/**
 * How many proxies in front of the app append to X-Forwarded-For (a CDN in
 * front of nginx is two). `true` and `false` are one and none, as before.
 */
const proxyHops = z
  .string()
  .regex(/^(true|false|\d{1,2})$/, "must be true, false or the number of proxies in front of the app (0-10)")
  .transform((value) => (value === "true" ? 1 : value === "false" ? 0 : Number(value)))
  .pipe(z.number().max(10, "counts at most 10 proxies"));

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, "must start with postgres://");
/** Vercel writes hosts without a scheme (my-app.vercel.app). */
const host = z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$/i, "must be a host name without a scheme");

/** Schemes that run code or read local data in the browser: never a place to send an authorization code. */
const FORBIDDEN_REDIRECT_SCHEMES = new Set(["javascript:", "data:", "vbscript:", "file:", "blob:", "about:"]);

/**
 * A native client's redirect URI (RFC 8252 §7): a private-use scheme
 * (`com.example.app:/oauth/callback`), a claimed https URL, or http on a
 * loopback address literal (§7.3; `localhost` is not one, §8.3). Absolute,
 * and without a fragment (RFC 6749 §3.1.2).
 */
const redirectUri = z.string().superRefine((value, ctx) => {
  const refuse = (why: string) => ctx.addIssue({ code: "custom", message: `redirect URI "${value}" ${why}` });
  if (!URL.canParse(value)) return refuse("is not an absolute URL");
  const url = new URL(value);
  if (value.includes("#")) return refuse("has a fragment (RFC 6749 §3.1.2)");
  if (FORBIDDEN_REDIRECT_SCHEMES.has(url.protocol)) return refuse(`uses ${url.protocol}, which is not a redirect target`);
  if (url.username || url.password) return refuse("carries a user name or password");
  if (url.protocol === "http:" && !["127.0.0.1", "[::1]"].includes(url.hostname)) {
    return refuse("uses http: on a host other than 127.0.0.1 or [::1] (RFC 8252 §7.3, §8.3): use https, a private-use scheme or a loopback address");
  }
});

const nativeClient = z
  .object({
    clientId: z.string().regex(/^[\x21-\x7e]{1,200}$/, "clientId must be 1-200 visible ASCII characters"),
    redirectUris: z.array(redirectUri).min(1, "each client needs at least one redirect URI"),
  })
  .strict();

/** NATIVE_CLIENTS: a JSON array of the native apps that may sign in through the browser (lib/auth/native/). */
const nativeClients = z
  .string()
  .default("[]")
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: 'is not JSON; expected [{"clientId": "…", "redirectUris": ["…"]}]' });
      return z.NEVER;
    }
  })
  .pipe(
    z.array(nativeClient, { error: 'must be a JSON array like [{"clientId": "…", "redirectUris": ["…"]}]' }).superRefine((clients, ctx) => {
      const ids = clients.map((client) => client.clientId);
      const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
      if (repeated !== undefined) ctx.addIssue({ code: "custom", message: `clientId "${repeated}" is listed twice` });
    }),
  );

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** Days may be fractional (0.5 is twelve hours): a benchmark or a test shortens them to seconds. */
const days = (fallback: number) => z.coerce.number().min(0).max(36_500).default(fallback);

const EnvObject = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Unset: the Vercel deployment's own origin (lib/vercel.ts), else http://localhost:3000. */
  APP_URL: z.url({ protocol: /^https?$/ }).optional(),
  INTERNAL_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: postgresUrl.optional(),
  /**
   * The same database without the pooler, for migrations and the session-level
   * advisory lock they hold. Setting it also says DATABASE_URL is a transaction
   * pooler, which refuses session settings in the startup packet (db/client.ts,
   * docs/decisions/0031).
   */
  DATABASE_URL_UNPOOLED: postgresUrl.optional(),
  /**
   * Named prepared statements for the hot paths: the liveness read every
   * protected request makes and the refresh's statement (docs/decisions/0024,
   * 0022). Off for a pooler in transaction mode that does not keep them
   * (PgBouncer before 1.21, or without max_prepared_statements).
   */
  DATABASE_PREPARED_STATEMENTS: booleanString.default(true),
  DATA_DIR: z.string().min(1).default(".data"),
  AUTH_SECRET: z.string().optional(),
  JWT_SIGNING_KEYS: z.string().optional(),
  ACCESS_TOKEN_TTL_SECONDS: seconds(900),
  REFRESH_IDLE_TTL_SECONDS: seconds(604_800),
  REFRESH_ABSOLUTE_TTL_SECONDS: seconds(2_592_000),
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(120).default(10),
  REQUIRE_EMAIL_VERIFICATION: booleanString.default(true),
  /**
   * The token endpoint's password grant (RFC 6749 §4.3), which RFC 9700 §2.4
   * says must not be used: off unless an existing app still needs it. Native
   * apps sign in through the browser instead (docs/decisions/0034).
   */
  PASSWORD_GRANT: booleanString.default(false),
  /** The native apps that may sign in through the browser, and where each may be sent back (docs/decisions/0034). */
  NATIVE_CLIENTS: nativeClients,
  NOTIFY_NEW_DEVICE_SIGN_IN: booleanString.default(true),
  RESEND_API_KEY: z.string().min(1).optional(),
  /** Only for pointing the SDK at a stand-in server in tests. */
  RESEND_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Unset: Resend's testing sender, which delivers only to the Resend account's own address. */
  EMAIL_FROM: z.string().min(3).optional(),
  JWT_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(30).default(5),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(12),
  CRON_SECRET: z.string().min(16).optional(),
  /**
   * How long `npm run prune` and GET /api/cron/prune keep what is over
   * (lib/retention/, docs/decisions/0029). A live session keeps every refresh
   * token it was ever given, whatever these say.
   */
  RETENTION_SESSION_TOKEN_DAYS: days(1),
  RETENTION_SESSION_DAYS: days(30),
  RETENTION_OUTBOX_DAYS: days(7),
  RETENTION_SECURITY_EVENT_DAYS: days(365),
  RETENTION_API_KEY_DAYS: days(30),
  /** Rows one DELETE statement removes at most: each holds its row locks only that long. */
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
  /**
   * API keys (lib/auth/api-keys/, docs/decisions/0035): the longest lifetime a
   * new key may have, in days; unset allows keys that never expire. Requests
   * one key may make per minute.
   */
  API_KEY_MAX_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
  API_KEY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  TRUST_PROXY: proxyHops.default(0),
  /**
   * Not configuration: server.mjs sets it, for its own process only, to a
   * random value it sends along with the peer address it writes, so the app
   * can tell that address from one a client sent (lib/http/client-meta.ts).
   */
  DOORMAN_PEER_PROOF: z.string().min(32).optional(),
  // Set by Vercel on its deployments (lib/vercel.ts, docs/decisions/0031).
  VERCEL: z.string().optional(),
  VERCEL_ENV: z.string().optional(),
  VERCEL_URL: host.optional(),
  VERCEL_PROJECT_PRODUCTION_URL: host.optional(),
  /** Lets the middleware's refresh call through Vercel's Deployment Protection. */
  VERCEL_AUTOMATION_BYPASS_SECRET: z.string().min(1).optional(),
  /** Worker threads hashing passwords; unset means one per core, at most 4 (lib/auth/passwords/password-pool.ts). */
  PASSWORD_HASH_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  /** Hashes waiting for a thread before the next gets 503; unset means 8 per thread (lib/auth/passwords/password-pool.ts). */
  PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).max(10_000).optional(),
  /**
   * Comma-separated origins of backends that server code may call on the
   * user's behalf, each with a token minted for it: the origin, as written
   * here, is its audience (lib/auth/call-api.ts). Doorman's own API is always
   * allowed; nothing else is unless listed here.
   */
  DOWNSTREAM_API_ORIGINS: z
    .string()
    .default("")
    .transform((value, ctx) => {
      const origins = value.split(",").map((item) => item.trim()).filter(Boolean);
      for (const origin of origins) {
        if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
          ctx.addIssue({ code: "custom", message: `"${origin}" is not an origin like https://api.example.com` });
          return z.NEVER;
        }
      }
      return origins;
    }),
  /**
   * Single sign-on providers, a JSON array (lib/auth/sso/providers.ts): a
   * generic OpenID Connect provider by issuer, or the google, microsoft and
   * github presets. Each one's redirect URI is APP_URL/api/auth/oidc/<id>/callback.
   */
  OIDC_PROVIDERS: z
    .string()
    .default("[]")
    .transform((value, ctx) => {
      const parsed = parseProviders(value);
      if (parsed.ok) return parsed.providers;
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }),
});

const RESEND_TESTING_SENDER = "Doorman <onboarding@resend.dev>";

const EnvSchema = EnvObject.superRefine((value, ctx) => {
  // Resend's testing sender is refused (403) for every recipient but the account's owner: in
  // production every message would wait on a fault that only this setting can fix.
  if (value.NODE_ENV === "production" && value.RESEND_API_KEY && !value.EMAIL_FROM) {
    ctx.addIssue({
      code: "custom",
      path: ["EMAIL_FROM"],
      message: 'production mail through Resend (RESEND_API_KEY) needs a sender on a domain verified there, such as "Doorman <auth@example.com>"',
    });
  }
  if (isVercelDeployment(value) && !value.DATABASE_URL) {
    ctx.addIssue({
      code: "custom",
      path: ["DATABASE_URL"],
      message: "a Vercel deployment cannot write the embedded database (PGlite) to its read-only disk, so set a PostgreSQL URL (Vercel's Neon integration sets one)",
    });
  }
}).transform((value) => {
  const vercel = vercelOrigins(value);
  return {
    ...value,
    APP_URL: value.APP_URL ?? vercel.appUrl ?? "http://localhost:3000",
    INTERNAL_URL: value.INTERNAL_URL ?? vercel.internalUrl,
    EMAIL_FROM: value.EMAIL_FROM ?? RESEND_TESTING_SENDER,
  };
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

let cached: Env | undefined;

/** Parsed configuration. Throws a ConfigError naming the variable when one is invalid. */
export function env(): Env {
  if (cached) return cached;
  const source = emptyToUndefined(process.env);
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? "configuration");
    const state = source[name] === undefined ? "is not set" : "is invalid";
    throw new ConfigError(`${name} ${state}: ${issue?.message ?? "unreadable value"}.`);
  }
  cached = parsed.data;
  return cached;
}

/** The iron-session password. Weak, sample or missing values stop the server. */
export function authSecret(): string {
  const value = env().AUTH_SECRET;
  if (!value) throw missingSecret("AUTH_SECRET");
  if (value.length < 32) {
    throw new ConfigError(
      `AUTH_SECRET must be at least 32 characters (it has ${value.length}). Run \`npm run keys\` to make one.`,
    );
  }
  if (KNOWN_SAMPLE_SECRETS.has(value.toLowerCase()) || new Set(value).size < 8) {
    throw new ConfigError(
      "AUTH_SECRET is a sample or low-entropy value. Run `npm run keys` to make a random one.",
    );
  }
  return value;
}

/** The raw JWT_SIGNING_KEYS JSON; lib/auth/edge/keys.ts parses and checks it. */
export function signingKeysJson(): string {
  const value = env().JWT_SIGNING_KEYS;
  if (!value) throw missingSecret("JWT_SIGNING_KEYS");
  return value;
}

/** Origin the edge middleware calls for a refresh; never derived from request headers. */
export function internalOrigin(): string {
  const { INTERNAL_URL, APP_URL } = env();
  return new URL(INTERNAL_URL ?? APP_URL).origin;
}

export function appOrigin(): string {
  return new URL(env().APP_URL).origin;
}

export function isProduction(): boolean {
  return env().NODE_ENV === "production";
}

function missingSecret(name: string): ConfigError {
  const hint = isProduction()
    ? "Run `npm run keys` and set the printed value in the server's environment."
    : "Start the app with `npm run dev`, which generates development secrets in DATA_DIR, or run `npm run keys`.";
  return new ConfigError(`${name} is not set. ${hint}`);
}

// Hosting dashboards often save an emptied field as "", which must mean "unset".
function emptyToUndefined(source: Record<string, string | undefined>): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const key of Object.keys(EnvObject.shape)) {
    const value = source[key];
    result[key] = value === "" ? undefined : value;
  }
  return result;
}

/** For tests that change configuration between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
