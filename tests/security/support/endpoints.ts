import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PASSWORD, uniqueEmail } from "../../e2e/support/users";

// Every route handler the app exports, with what it reads. The route-inventory
// test compares this list with app/**/route.ts, so a new handler cannot land
// without the cross-site, hostile-input and fuzzing tests covering it.

export type Field = "name" | "email" | "password" | "currentPassword" | "newPassword" | "token";

export type Endpoint = {
  method: "GET" | "POST" | "DELETE";
  /** As the folder names it: dynamic segments in brackets. */
  route: string;
  /** What the handler authenticates with. */
  auth: "none" | "session" | "refresh" | "cron";
  /** The JSON body's fields; absent when the handler reads no body. */
  fields?: readonly Field[];
};

export const ENDPOINTS: readonly Endpoint[] = [
  { method: "POST", route: "/api/auth/signup", auth: "none", fields: ["name", "email", "password"] },
  { method: "POST", route: "/api/auth/verify-email", auth: "none", fields: ["token"] },
  { method: "POST", route: "/api/auth/resend-verification", auth: "none", fields: ["email"] },
  { method: "POST", route: "/api/auth/login", auth: "none", fields: ["email", "password"] },
  { method: "POST", route: "/api/auth/refresh", auth: "refresh" },
  { method: "POST", route: "/api/auth/logout", auth: "session" },
  { method: "POST", route: "/api/auth/logout-all", auth: "session" },
  { method: "GET", route: "/api/auth/session", auth: "session" },
  { method: "GET", route: "/api/auth/sessions", auth: "session" },
  { method: "DELETE", route: "/api/auth/sessions/[id]", auth: "session" },
  { method: "POST", route: "/api/auth/forgot-password", auth: "none", fields: ["email"] },
  { method: "POST", route: "/api/auth/reset-password", auth: "none", fields: ["token", "password"] },
  { method: "POST", route: "/api/auth/change-password", auth: "session", fields: ["currentPassword", "newPassword"] },
  { method: "GET", route: "/api/me", auth: "session" },
  { method: "GET", route: "/api/cron/outbox", auth: "cron" },
  { method: "GET", route: "/.well-known/jwks.json", auth: "none" },
];

export const STATE_CHANGING = ENDPOINTS.filter((endpoint) => endpoint.method !== "GET");
export const JSON_BODY = ENDPOINTS.filter((endpoint): endpoint is Endpoint & { fields: readonly Field[] } => !!endpoint.fields);

export const label = (endpoint: Pick<Endpoint, "method" | "route">) => `${endpoint.method} ${endpoint.route}`;

/**
 * A value each field accepts. Together they make a body that passes
 * validation, so a test that spoils one field knows which one was refused.
 * `currentPassword` is the e2e accounts' password (tests/e2e/support/users.ts).
 */
export function validValue(field: Field): string {
  switch (field) {
    case "name":
      return "Ada Lovelace";
    case "email":
      return uniqueEmail("valid");
    case "password":
    case "currentPassword":
      return PASSWORD;
    case "newPassword":
      return "an entirely different passphrase";
    case "token":
      return randomBytes(32).toString("base64url");
  }
}

export function validBody(fields: readonly Field[]): Record<Field, string> {
  return Object.fromEntries(fields.map((field) => [field, validValue(field)])) as Record<Field, string>;
}

/** The URL path, with `[id]` filled in (a random UUID unless given). */
export function pathOf(endpoint: Endpoint, id: string = crypto.randomUUID()): string {
  return endpoint.route.replace("[id]", id);
}

const APP_DIR = path.resolve(__dirname, "../../../app");
const METHOD_EXPORT = /export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g;

/** Method and route of every handler under app/, read from the source. */
export function routeHandlersOnDisk(): { method: string; route: string }[] {
  const found: { method: string; route: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^route\.(ts|tsx|js)$/.test(entry.name)) {
        // Route groups "(name)" do not appear in the URL.
        const route = `/${path.relative(APP_DIR, dir).split(path.sep).filter((part) => !/^\(.*\)$/.test(part)).join("/")}`;
        for (const [, method] of readFileSync(full, "utf8").matchAll(METHOD_EXPORT)) found.push({ method: method!, route });
      }
    }
  };
  walk(APP_DIR);
  return found;
}
