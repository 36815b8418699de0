// A tiny HTTP client for the stateful flows (logins, refresh chains,
// stampedes): Node's fetch, cookies kept by hand, and a client address per
// request in X-Forwarded-For (bench instances run with TRUST_PROXY=true, as
// behind a proxy; the per-IP limits stay on).

export type Cookies = Record<string, string>;

export type Reply = { status: number; ms: number; setCookies: Cookies; body: string };

let addressCounter = 0;

/**
 * A client address nobody else in this run uses. A benchmark client stands
 * for many browsers (one browser refreshes once every 15 minutes), so each of
 * its requests comes from its own address: the real per-IP limits (300
 * refreshes, 30 logins per 10 minutes) would otherwise cap the load itself.
 */
export function freshAddress(): string {
  addressCounter += 1;
  const n = addressCounter;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

export async function send(
  origin: string,
  path: string,
  options: { method?: string; cookies?: Cookies; ip?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { "x-forwarded-for": options.ip ?? freshAddress(), ...options.headers };
  if (options.cookies && Object.keys(options.cookies).length > 0) headers.cookie = cookieHeader(options.cookies);
  if (options.json !== undefined) headers["content-type"] = "application/json";
  const started = performance.now();
  const response = await fetch(`${origin}${path}`, {
    method: options.method ?? "GET",
    headers,
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
    redirect: "manual",
  });
  const body = await response.text();
  return { status: response.status, ms: performance.now() - started, setCookies: parseSetCookies(response.headers), body };
}

export function cookieHeader(cookies: Cookies): string {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
}

function parseSetCookies(headers: Headers): Cookies {
  const cookies: Cookies = {};
  for (const line of headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const at = pair.indexOf("=");
    if (at > 0) cookies[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return cookies;
}
