import { expect } from "vitest";
import { parseSetCookie } from "@/lib/http/set-cookie";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { unsealRefreshToken } from "@/lib/auth/sessions/refresh-token";

/** The raw Set-Cookie line a response sends for one cookie, if any. */
export function setCookieLine(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((line) => parseSetCookie(line)?.name === name);
}

/** The raw refresh token inside the refresh cookie a response sets. */
export async function refreshTokenSetBy(response: Response): Promise<string | null> {
  const line = setCookieLine(response, cookieNames().refresh);
  return unsealRefreshToken(line ? parseSetCookie(line)?.value : undefined);
}

/** Both auth cookies are sent back empty with Max-Age=0. */
export function expectSessionCookiesCleared(response: Response): void {
  const names = cookieNames();
  for (const name of [names.access, names.refresh]) {
    const line = setCookieLine(response, name);
    expect(line, `${name} is cleared`).toBeDefined();
    expect(line).toMatch(/;\s*Max-Age=0(;|$)/i);
    expect(parseSetCookie(line!)?.value).toBe("");
  }
}

/** Contract error shape: a code, a sentence, never a stack trace or SQL. */
export async function expectJsonError(response: Response, status: number, code: string): Promise<{ error: { code: string; message: string; fields?: Record<string, string> } }> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const text = await response.text();
  expect(text).not.toMatch(/\bat .+\(.+:\d+:\d+\)|node_modules|\bselect\b|\binsert\b/i);
  const body = JSON.parse(text);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  expect(Object.keys(body.error).every((key) => ["code", "message", "fields"].includes(key))).toBe(true);
  return body;
}

/** Headers a browser sends on a request from another site. */
export const CROSS_SITE = {
  fetchMetadata: { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
  foreignOrigin: { origin: "https://evil.example" },
  nullOrigin: { origin: "null" },
} as const;
