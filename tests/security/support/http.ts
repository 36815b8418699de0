import { randomBytes } from "node:crypto";
import { expect } from "@playwright/test";
import { APP_URL } from "../../e2e/support/servers";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../../e2e/support/cookies";

// Requests exactly as an attacker writes them: every header by hand, cookies
// from a plain map, redirects never followed. The shared app trusts
// X-Forwarded-For (as behind a proxy), so each request comes from an address
// of its own unless the test says otherwise: the real per-IP limits then bite
// only the tests that are about them.

export type Cookies = Record<string, string>;

export type SendOptions = {
  method?: string;
  headers?: Record<string, string>;
  cookies?: Cookies;
  /** Serialised with JSON.stringify and sent as application/json (unless headers say otherwise). */
  json?: unknown;
  body?: BodyInit;
  /** Where to send it; the shared app by default. */
  origin?: string;
};

/** A documentation-free private address, fresh for each call: one simulated client. */
export function randomIp(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c! || 1}`;
}

export function cookieHeader(cookies: Cookies): string {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
}

export function send(path: string, options: SendOptions = {}): Promise<Response> {
  const headers = new Headers({ "x-forwarded-for": randomIp() });
  if (options.json !== undefined) headers.set("content-type", "application/json");
  if (options.cookies && Object.keys(options.cookies).length > 0) headers.set("cookie", cookieHeader(options.cookies));
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
  const body = options.json !== undefined ? JSON.stringify(options.json) : options.body;
  return fetch(new URL(path, options.origin ?? APP_URL), {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
    redirect: "manual",
    // A streamed body needs this in Node's fetch.
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
}

/**
 * Next answers an RSC request without a matching `_rsc` cache-busting
 * parameter with a 307 to the same path carrying one (API routes included);
 * a browser follows it with the same method and headers, and so does this.
 */
export async function sendFollowingRsc(path: string, options: SendOptions = {}): Promise<Response> {
  const response = await send(path, options);
  const location = response.headers.get("location");
  if (response.status !== 307 || !location) return response;
  const target = new URL(location, options.origin ?? APP_URL);
  if (target.pathname !== path || !target.searchParams.has("_rsc")) return response;
  return send(`${target.pathname}${target.search}`, options);
}

export type SetCookieLine = { name: string; value: string; attributes: Map<string, string>; raw: string };

/** Every Set-Cookie of a response by cookie name, attributes lower-cased (`secure` → ""). */
export function setCookies(response: Response): Map<string, SetCookieLine> {
  const found = new Map<string, SetCookieLine>();
  for (const raw of response.headers.getSetCookie()) {
    const [pair = "", ...rest] = raw.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    expect(found.has(name), `one Set-Cookie for ${name}`).toBe(false);
    const attributes = new Map<string, string>();
    for (const attribute of rest) {
      const [key = "", ...value] = attribute.split("=");
      attributes.set(key.trim().toLowerCase(), value.join("=").trim());
    }
    found.set(name, { name, value: pair.slice(eq + 1).trim(), attributes, raw });
  }
  return found;
}

/** The auth cookies a successful sign-in or refresh hands out. */
export function issuedAuthCookies(response: Response): Cookies {
  const set = setCookies(response);
  const access = set.get(ACCESS_COOKIE)?.value;
  const refresh = set.get(REFRESH_COOKIE)?.value;
  expect(access, "a new access cookie").toBeTruthy();
  expect(refresh, "a new refresh cookie").toBeTruthy();
  return { [ACCESS_COOKIE]: access!, [REFRESH_COOKIE]: refresh! };
}

export function expectNoSetCookie(response: Response): void {
  expect(response.headers.getSetCookie(), `${response.url}: no Set-Cookie`).toEqual([]);
}

/** Both auth cookies emptied with Max-Age=0. */
export function expectAuthCookiesCleared(response: Response): void {
  const set = setCookies(response);
  for (const name of [ACCESS_COOKIE, REFRESH_COOKIE]) {
    expect(set.get(name)?.value, `${name} cleared`).toBe("");
    expect(set.get(name)?.attributes.get("max-age"), `${name} Max-Age`).toBe("0");
  }
}

export type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

/**
 * The contract's error shape and nothing else: {error: {code, message, fields?}},
 * a snake_case code, one human sentence, string field messages, and no trace
 * of a stack, SQL or the driver.
 */
export function expectErrorShape(text: string, context = ""): ErrorBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${context}: the error body is not JSON: ${text.slice(0, 200)}`);
  }
  expect(Object.keys(body as object), `${context}: top-level keys`).toEqual(["error"]);
  const error = (body as ErrorBody).error;
  const keys = Object.keys(error).sort();
  expect(keys.filter((key) => key !== "fields"), `${context}: error keys`).toEqual(["code", "message"]);
  expect(error.code, `${context}: code`).toMatch(/^[a-z]+(_[a-z]+)*$/);
  expect(typeof error.message, `${context}: message`).toBe("string");
  expect(error.message, `${context}: a sentence`).toMatch(/^[A-Z].*[.!?]$/);
  if (error.fields !== undefined) {
    expect(typeof error.fields, `${context}: fields`).toBe("object");
    for (const [field, message] of Object.entries(error.fields)) expect(typeof message, `${context}: fields.${field}`).toBe("string");
  }
  expect(text, `${context}: no stack, SQL or driver text`).not.toMatch(
    /\bat [\w.<>]+ \(|node_modules|\.next\/|\bselect\b.*\bfrom\b|\binsert into\b|\bupdate\b.*\bset\b|drizzle|postgres|pglite|sqlstate/i,
  );
  expect(text, `${context}: no token (a JWT, a sealed cookie, a bcrypt hash)`).not.toMatch(/eyJ[\w-]{10,}\.|Fe26\.2\*|\$2[aby]\$\d\d\$/);
  return body as ErrorBody;
}

/** A JSON error with this exact status and code, in the contract's shape. */
export async function expectError(response: Response, status: number, code: string): Promise<ErrorBody> {
  const text = await response.text();
  const context = `${response.url}`;
  expect(response.status, `${context}: ${text.slice(0, 300)}`).toBe(status);
  expect(response.headers.get("content-type"), context).toContain("application/json");
  const body = expectErrorShape(text, context);
  expect(body.error.code, context).toBe(code);
  return body;
}

export function locationOf(response: Response): URL {
  const location = response.headers.get("location");
  expect(location, `${response.url}: a Location header`).toBeTruthy();
  return new URL(location!, APP_URL);
}

/** A redirect (303 from the middleware, 307 from a Server Component) to /login. */
export function expectSentToLogin(response: Response, context = response.url): void {
  expect([303, 307], `${context}: status`).toContain(response.status);
  const location = locationOf(response);
  expect(location.origin, context).toBe(APP_URL);
  expect(location.pathname, context).toBe("/login");
}
