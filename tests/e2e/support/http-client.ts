import { parseSetCookie } from "../../../lib/http/set-cookie";

// A cookie-keeping fetch for HTTP-level tests against a running server, as a
// browser on that origin would behave (minus JavaScript).

export class HttpClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly origin: string) {}

  async request(path: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (init.json !== undefined) headers.set("content-type", "application/json");
    if (this.cookies.size > 0) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(new URL(path, this.origin), {
      method: init.method ?? (init.json === undefined ? "GET" : "POST"),
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      redirect: "manual",
    });
    this.keep(response);
    return response;
  }

  /** Same cookies, another origin: the next instance behind a load balancer. */
  via(origin: string): HttpClient {
    const other = new HttpClient(origin);
    for (const [k, v] of this.cookies) other.cookies.set(k, v);
    return other;
  }

  private keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const cookie = parseSetCookie(line);
      if (!cookie) continue;
      if (cookie.value === "" || cookie.maxAge <= 0) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }
}
