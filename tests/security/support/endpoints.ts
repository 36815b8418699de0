import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { E2E_NATIVE_CLIENT } from "../../e2e/support/servers";
import { PASSWORD, uniqueEmail } from "../../e2e/support/users";

// Every route handler the app exports, with what it reads. The route-inventory
// test compares this list with app/**/route.ts, so a new handler cannot land
// without the cross-site, hostile-input and fuzzing tests covering it.

export type Field =
  | "name"
  | "email"
  | "password"
  | "currentPassword"
  | "newPassword"
  | "token"
  // The native clients' token endpoint (RFC 6749 §4.3, §6) and revocation (RFC 7009 §2.1).
  | "grant_type"
  | "username"
  | "refresh_token"
  | "token_type_hint"
  // The authorization_code grant (RFC 6749 §4.1.3, PKCE RFC 7636 §4.5).
  | "code"
  | "redirect_uri"
  | "client_id"
  | "code_verifier"
  // The admin API.
  | "role"
  // API keys: an array and a number (or null) rather than strings.
  | "scopes"
  | "expiresInDays"
  // The admin settings: a boolean.
  | "requireAdminSecondFactor";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** How a body may be sent: JSON everywhere, and form-encoded where OAuth clients post. */
export type Encoding = "json" | "form";

export const CONTENT_TYPE: Record<Encoding, string> = {
  json: "application/json",
  form: "application/x-www-form-urlencoded",
};

/** One shape of body a handler reads (the token endpoint reads one per grant). */
export type Body = {
  /** Each holding its valid value, these pass validation; each is required. */
  readonly fields: readonly Field[];
  /** May be absent; present with a wrong type, it is refused and named. */
  readonly optional?: readonly Field[];
  /** Values that select this shape (which grant it is), instead of validValue's. */
  readonly values?: Readonly<Partial<Record<Field, string>>>;
  /** Fields for which null is a valid value (an API key's "never expires"), so not a wrong type. */
  readonly nullable?: readonly Field[];
};

/** The search parameters the admin users list reads. */
export type QueryParam = "query" | "cursor" | "limit";

export type Endpoint = {
  method: Method;
  /** As the folder names it: dynamic segments in brackets. */
  route: string;
  /** What the handler authenticates with; "admin" is a session whose user is an admin in the database. */
  auth: "none" | "session" | "refresh" | "cron" | "admin";
  /** The body's shapes; absent when the handler reads no body. */
  bodies?: readonly Body[];
  /** How the body may be sent; JSON only unless listed. */
  encodings?: readonly Encoding[];
  /** The search parameters it reads. */
  query?: readonly QueryParam[];
  /** Takes no cookies and sets none, so by contract no cross-site check: the native clients' endpoints. */
  crossSiteExempt?: true;
  /**
   * A browser navigates here (the authorization endpoint): it answers with
   * 303 redirects (to /login, or to a registered redirect URI) and a small
   * HTML page, not the JSON error shape. `query` holds search parameters
   * that together pass.
   */
  browser?: { query: Readonly<Record<string, string>> };
};

const NATIVE: Pick<Endpoint, "auth" | "encodings" | "crossSiteExempt"> = { auth: "none", encodings: ["json", "form"], crossSiteExempt: true };

export const ENDPOINTS: readonly Endpoint[] = [
  { method: "POST", route: "/api/auth/signup", auth: "none", bodies: [{ fields: ["name", "email", "password"] }] },
  { method: "POST", route: "/api/auth/verify-email", auth: "none", bodies: [{ fields: ["token"] }] },
  { method: "POST", route: "/api/auth/resend-verification", auth: "none", bodies: [{ fields: ["email"] }] },
  { method: "POST", route: "/api/auth/login", auth: "none", bodies: [{ fields: ["email", "password"] }] },
  // The second step of a sign-in: it reads the pending sign-in's sealed cookie, not a session.
  { method: "POST", route: "/api/auth/login/second-factor", auth: "none", bodies: [{ fields: ["code"] }] },
  { method: "POST", route: "/api/auth/refresh", auth: "refresh" },
  { method: "POST", route: "/api/auth/logout", auth: "session" },
  { method: "POST", route: "/api/auth/logout-all", auth: "session" },
  { method: "GET", route: "/api/auth/session", auth: "session" },
  { method: "GET", route: "/api/auth/sessions", auth: "session" },
  { method: "DELETE", route: "/api/auth/sessions/[id]", auth: "session" },
  { method: "POST", route: "/api/auth/forgot-password", auth: "none", bodies: [{ fields: ["email"] }] },
  { method: "POST", route: "/api/auth/reset-password", auth: "none", bodies: [{ fields: ["token", "password"] }] },
  { method: "POST", route: "/api/auth/change-password", auth: "session", bodies: [{ fields: ["currentPassword", "newPassword"] }] },
  { method: "GET", route: "/api/me", auth: "session" },
  {
    method: "POST",
    route: "/api/auth/token",
    ...NATIVE,
    bodies: [
      // `username` is OAuth's name for the address: either, not both.
      { fields: ["grant_type", "email", "password"], optional: ["username"], values: { grant_type: "password" } },
      { fields: ["grant_type", "refresh_token"], values: { grant_type: "refresh_token" } },
      { fields: ["grant_type", "code", "redirect_uri", "client_id", "code_verifier"], values: { grant_type: "authorization_code" } },
    ],
  },
  {
    method: "GET",
    route: "/api/auth/authorize",
    auth: "none",
    browser: {
      query: {
        response_type: "code",
        client_id: E2E_NATIVE_CLIENT.clientId,
        redirect_uri: E2E_NATIVE_CLIENT.redirectUris[0]!,
        state: "fuzz-state",
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        code_challenge_method: "S256",
      },
    },
  },
  { method: "POST", route: "/api/auth/revoke", ...NATIVE, bodies: [{ fields: ["token"], optional: ["token_type_hint"] }] },
  { method: "GET", route: "/api/cron/outbox", auth: "cron" },
  { method: "GET", route: "/api/cron/prune", auth: "cron" },
  { method: "GET", route: "/.well-known/jwks.json", auth: "none" },
  { method: "GET", route: "/api/health", auth: "none" },
  { method: "GET", route: "/api/health/ready", auth: "none" },
  // Single sign-on: out to a provider and back (a browser's navigations; they read no JSON body).
  { method: "GET", route: "/api/auth/oidc/[id]/start", auth: "none" },
  { method: "GET", route: "/api/auth/oidc/[id]/callback", auth: "none" },
  { method: "GET", route: "/api/admin/users", auth: "admin", query: ["query", "cursor", "limit"] },
  { method: "GET", route: "/api/admin/users/[id]", auth: "admin" },
  { method: "DELETE", route: "/api/admin/users/[id]/sessions", auth: "admin" },
  { method: "POST", route: "/api/admin/users/[id]/disable", auth: "admin" },
  { method: "POST", route: "/api/admin/users/[id]/enable", auth: "admin" },
  { method: "PATCH", route: "/api/admin/users/[id]/role", auth: "admin", bodies: [{ fields: ["role"] }] },
  { method: "DELETE", route: "/api/admin/users/[id]/api-keys/[keyId]", auth: "admin" },
  { method: "DELETE", route: "/api/admin/users/[id]/second-factors", auth: "admin" },
  { method: "GET", route: "/api/admin/settings", auth: "admin" },
  { method: "PUT", route: "/api/admin/settings", auth: "admin", bodies: [{ fields: ["requireAdminSecondFactor"] }] },
  // Step-up: how this session may prove its person again, and doing so.
  { method: "GET", route: "/api/auth/reauthenticate", auth: "session" },
  { method: "POST", route: "/api/auth/reauthenticate", auth: "session", bodies: [{ fields: ["password"] }] },
  { method: "POST", route: "/api/auth/reauthenticate/passkey-options", auth: "session" },
  // API keys: created from a browser session only; listed and revoked with any session, never with a key.
  { method: "POST", route: "/api/auth/api-keys", auth: "session", bodies: [{ fields: ["name", "scopes", "expiresInDays"], nullable: ["expiresInDays"] }] },
  { method: "GET", route: "/api/auth/api-keys", auth: "session" },
  { method: "DELETE", route: "/api/auth/api-keys/[id]", auth: "session" },
  // Passkeys. The WebAuthn `response` objects are no Field here (a field holds a
  // string, number or list); tests/integration/passkeys.test.ts sends them malformed.
  { method: "POST", route: "/api/auth/passkeys/registration-options", auth: "session" },
  { method: "POST", route: "/api/auth/passkeys", auth: "session" },
  { method: "GET", route: "/api/auth/passkeys", auth: "session" },
  { method: "PATCH", route: "/api/auth/passkeys/[id]", auth: "session", bodies: [{ fields: ["name"] }] },
  { method: "DELETE", route: "/api/auth/passkeys/[id]", auth: "session" },
  { method: "POST", route: "/api/auth/passkeys/sign-in-options", auth: "none" },
  { method: "POST", route: "/api/auth/passkeys/sign-in", auth: "none" },
  // Second factors: each wants a session that authenticated in the last ten minutes.
  { method: "POST", route: "/api/auth/totp", auth: "session" },
  { method: "DELETE", route: "/api/auth/totp", auth: "session" },
  { method: "POST", route: "/api/auth/totp/confirm", auth: "session", bodies: [{ fields: ["code"] }] },
  { method: "POST", route: "/api/auth/recovery-codes", auth: "session" },
];

export type WithBody = Endpoint & { bodies: readonly Body[] };

export const STATE_CHANGING = ENDPOINTS.filter((endpoint) => endpoint.method !== "GET");
/** State-changing handlers that run the cross-site check, and the two the contract exempts. */
export const CROSS_SITE_CHECKED = STATE_CHANGING.filter((endpoint) => !endpoint.crossSiteExempt);
export const CROSS_SITE_EXEMPT = STATE_CHANGING.filter((endpoint) => endpoint.crossSiteExempt);
export const WITH_BODY = ENDPOINTS.filter((endpoint): endpoint is WithBody => !!endpoint.bodies);
export const ADMIN = ENDPOINTS.filter((endpoint) => endpoint.auth === "admin");

export const label = (endpoint: Pick<Endpoint, "method" | "route">) => `${endpoint.method} ${endpoint.route}`;

export const encodingsOf = (endpoint: Endpoint): readonly Encoding[] => endpoint.encodings ?? ["json"];

/** Every field a shape may carry: required, then optional. */
export const fieldsOf = (body: Body): Field[] => [...body.fields, ...(body.optional ?? [])];

/**
 * A value each field accepts. Together they make a body that passes
 * validation, so a test that spoils one field knows which one was refused.
 * `currentPassword` is the e2e accounts' password (tests/e2e/support/users.ts).
 */
export function validValue(field: Field): FieldValue {
  switch (field) {
    case "name":
      return "Ada Lovelace";
    case "email":
    case "username":
      return uniqueEmail("valid");
    case "password":
    case "currentPassword":
      return PASSWORD;
    case "newPassword":
      return "an entirely different passphrase";
    case "token":
    case "refresh_token":
    case "code":
    case "code_verifier":
      return randomBytes(32).toString("base64url");
    case "redirect_uri":
      return E2E_NATIVE_CLIENT.redirectUris[0]!;
    case "client_id":
      return E2E_NATIVE_CLIENT.clientId;
    case "grant_type":
      return "password";
    case "token_type_hint":
      return "refresh_token";
    case "role":
      return "user";
    case "scopes":
      return ["me:read"];
    case "expiresInDays":
      return 30;
    case "requireAdminSecondFactor":
      // Off: a test that sends it valid must not hold the suite's admin to a second factor.
      return false;
  }
}

/** What a field holds: a string, but for the API keys' scopes (an array) and lifetime (a number), and a setting (a boolean). */
export type FieldValue = string | number | boolean | string[];

/** The shape's required fields, each holding a valid value (a valid but unknown token or address). */
export function validBody(body: Body): Record<string, FieldValue> {
  return Object.fromEntries(body.fields.map((field) => [field, body.values?.[field] ?? validValue(field)]));
}

/** A body as this encoding sends it: JSON as is, form-encoded from string values or name/value pairs (repeats kept). */
export function encode(encoding: Encoding, body: unknown): { body: string; headers: Record<string, string> } {
  const text = encoding === "json" ? JSON.stringify(body) : new URLSearchParams(body as Record<string, string> | [string, string][]).toString();
  return { body: text, headers: { "content-type": CONTENT_TYPE[encoding] } };
}

/** The URL path, with `[id]` filled in (a random UUID unless given), and any `[keyId]` with a random UUID. */
export function pathOf(endpoint: Endpoint, id: string = crypto.randomUUID()): string {
  return endpoint.route.replace("[id]", id).replace("[keyId]", crypto.randomUUID());
}

const APP_DIR = path.resolve(__dirname, "../../../app");
const PAGES_API_DIR = path.resolve(__dirname, "../../../pages/api");
const METHOD_EXPORT = /export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g;
/** A Pages Router API route names its one method to lib/http/node-route.ts. */
const NODE_ROUTE_METHOD = /export\s+default\s+nodeRoute\(\s*"(GET|POST|PUT|PATCH|DELETE)"/g;

/** Method and route of every handler under app/ and pages/api/, read from the source. */
export function routeHandlersOnDisk(): { method: string; route: string }[] {
  const found: { method: string; route: string }[] = [];
  const walk = (dir: string, visit: (file: string, name: string, dir: string) => void): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, visit);
      else visit(full, entry.name, dir);
    }
  };
  walk(APP_DIR, (file, name, dir) => {
    if (!/^route\.(ts|tsx|js)$/.test(name)) return;
    // Route groups "(name)" do not appear in the URL.
    const route = `/${path.relative(APP_DIR, dir).split(path.sep).filter((part) => !/^\(.*\)$/.test(part)).join("/")}`;
    for (const [, method] of readFileSync(file, "utf8").matchAll(METHOD_EXPORT)) found.push({ method: method!, route });
  });
  walk(PAGES_API_DIR, (file) => {
    const route = `/api/${path.relative(PAGES_API_DIR, file).replace(/\.(ts|js)$/, "").split(path.sep).join("/")}`;
    const methods = [...readFileSync(file, "utf8").matchAll(NODE_ROUTE_METHOD)];
    // Every file here is a route: one that does not name its method is a mistake this test must show.
    if (methods.length === 0) found.push({ method: "?", route });
    for (const [, method] of methods) found.push({ method: method!, route });
  });
  return found;
}
