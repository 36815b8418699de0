import type { Role } from "@/lib/auth/edge/jwt";

// What a key may do (README, "API keys"). Each route that accepts a key names
// the one scope it needs (lib/auth/dal.ts, authorize); every other route
// refuses keys outright.

export const API_KEY_SCOPES = ["me:read", "sessions:read", "sessions:write", "admin:read", "admin:write"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === "string" && (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** Only for admins, and only while the owner still is one. */
const ADMIN_SCOPES: readonly ApiKeyScope[] = ["admin:read", "admin:write"];

export function isAdminScope(scope: ApiKeyScope): boolean {
  return ADMIN_SCOPES.includes(scope);
}

/** The scopes an owner with this role may grant. */
export function grantableScopes(role: Role): ApiKeyScope[] {
  return API_KEY_SCOPES.filter((scope) => role === "admin" || !isAdminScope(scope));
}

export const SCOPE_DESCRIPTIONS: Record<ApiKeyScope, string> = {
  "me:read": "Read your profile (GET /api/me, GET /api/auth/session)",
  "sessions:read": "List your signed-in devices",
  "sessions:write": "Sign devices out",
  "admin:read": "Read the admin API",
  "admin:write": "Change users through the admin API",
};
