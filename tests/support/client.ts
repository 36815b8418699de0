import { NextRequest } from "next/server";
import { env } from "@/lib/env";
import { PEER_IP_HEADER, PEER_PROOF_HEADER } from "@/lib/http/client-meta";
import { parseSetCookie } from "@/lib/http/set-cookie";

// A browser-shaped caller for route handlers: it keeps the cookies each
// response sets and sends them back, as a browser on APP_URL would.

export const APP = "http://localhost:3000";

type RouteContext = { params: Promise<Record<string, string>> };
export type RouteHandler = (request: NextRequest, context: RouteContext) => Promise<Response>;

export type CallOptions = {
  method?: string;
  path: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  /** Send no cookies even if the jar has some. */
  withoutCookies?: boolean;
};

export class TestClient {
  readonly cookies = new Map<string, string>();

  async call(handler: RouteHandler, options: CallOptions): Promise<Response> {
    const headers = new Headers(options.headers);
    // The client stands where server.mjs would: a peer address it names comes with server.mjs's proof.
    if (headers.has(PEER_IP_HEADER) && !headers.has(PEER_PROOF_HEADER)) headers.set(PEER_PROOF_HEADER, env().DOORMAN_PEER_PROOF!);
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    if (!options.withoutCookies && this.cookies.size > 0 && !headers.has("cookie")) {
      headers.set("cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    }
    const request = new NextRequest(new URL(options.path, APP), {
      method: options.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      body,
    });
    const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
    this.store(response);
    return response;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const cookie = parseSetCookie(line);
      if (!cookie) continue;
      if (cookie.value === "" || cookie.maxAge <= 0) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }
}
