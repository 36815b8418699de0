import { Agent, request } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

// A tiny HTTP client for the stateful flows (logins, refresh chains,
// stampedes): cookies kept by hand, and a client address per request in
// X-Forwarded-For (bench instances run with TRUST_PROXY=true, as behind a
// proxy; the per-IP limits stay on).
//
// It is node:http rather than fetch because the load generator shares the
// machine's two cores with the apps it measures. Measured side by side,
// fetch (undici's web streams, Headers and Response objects) cost this
// process about 0.5 ms of CPU per refresh and node:http about 0.2 ms; at 10
// clients that difference is CPU the app under test did not get, and it
// showed in refresh p99 (41–45 ms with fetch, 33–34 ms with node:http, same
// app). The request it sends is what a browser's would be: kept-alive
// connections and compressed responses accepted.

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
  const headers: Record<string, string> = {
    "accept-encoding": "gzip, deflate, br",
    "x-forwarded-for": options.ip ?? freshAddress(),
    ...options.headers,
  };
  if (options.cookies && Object.keys(options.cookies).length > 0) headers.cookie = cookieHeader(options.cookies);
  const body = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json));
  if (body) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(body.length);
  }
  const started = performance.now();
  return new Promise<Reply>((resolve, reject) => {
    const outgoing = request(new URL(path, origin), { method: options.method ?? "GET", headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        // The time a browser would wait for the bytes; decoding is ours.
        const ms = performance.now() - started;
        resolve({
          status: response.statusCode ?? 0,
          ms,
          setCookies: parseSetCookies(response.headers["set-cookie"] ?? []),
          body: decode(Buffer.concat(chunks), response.headers["content-encoding"]),
        });
      });
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

const agent = new Agent({ keepAlive: true });

function decode(bytes: Buffer, encoding: string | undefined): string {
  if (encoding === "gzip") return gunzipSync(bytes).toString("utf8");
  if (encoding === "deflate") return inflateSync(bytes).toString("utf8");
  if (encoding === "br") return brotliDecompressSync(bytes).toString("utf8");
  return bytes.toString("utf8");
}

export function cookieHeader(cookies: Cookies): string {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
}

function parseSetCookies(lines: readonly string[]): Cookies {
  const cookies: Cookies = {};
  for (const line of lines) {
    const [pair = ""] = line.split(";");
    const at = pair.indexOf("=");
    if (at > 0) cookies[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return cookies;
}
