import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { withDatabaseDeadline } from "@/lib/deadline";
import { AppError, ERRORS } from "@/lib/errors";
import { parseCookieHeader, serializeSetCookie, type CookieReader, type SetCookieOptions } from "@/lib/http/cookie-header";
import { vouchedRequestId } from "@/lib/http/request-id";
import { errorReply, toAppError } from "@/lib/http/respond";
import { withRequestId } from "@/lib/log";

// A Pages Router API route (pages/api/…): Next hands it Node's own request and
// response, without the App Router's web Request, Response and streams, at
// about half the framework's cost per request. Only the refresh endpoint is
// one, the request every signed-in browser and the middleware send most
// (docs/decisions/0025). Same rules as lib/http/respond.ts's route(): every
// failure leaves as the contract's JSON error, in time.

export type NodeRouteRequest = { headers: Headers; cookies: CookieReader };

/** The Set-Cookie lines a handler adds, in the shape lib/auth's cookie helpers write to. */
export class ResponseCookies {
  readonly lines: string[] = [];
  private readonly values = new Map<string, string>();

  set(name: string, value: string, options: SetCookieOptions): void {
    this.values.set(name, value);
    this.lines.push(serializeSetCookie(name, value, options));
  }

  get(name: string): { value: string } | undefined {
    return this.values.has(name) ? { value: this.values.get(name)! } : undefined;
  }
}

export type NodeRouteReply = { status: number; body: unknown; headers: Record<string, string> };

export function nodeRoute(
  method: "POST",
  handler: (request: NodeRouteRequest, cookies: ResponseCookies) => Promise<NodeRouteReply>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const cookies = new ResponseCookies();
    const headers = toHeaders(req.headers);
    const requestId = await vouchedRequestId(headers);
    const reply = await withRequestId(requestId, async (): Promise<NodeRouteReply> => {
      try {
        if (req.method !== method) throw new AppError("methodNotAllowed");
        return await withDatabaseDeadline(() => handler({ headers, cookies: parseCookieHeader(req.headers.cookie) }, cookies));
      } catch (error) {
        // As a thrown error in route(): a fresh answer, no cookie set on the way.
        cookies.lines.length = 0;
        const appError = toAppError(error);
        const failed = errorReply(appError);
        if (appError.code === ERRORS.methodNotAllowed.code) failed.headers.Allow = method;
        return failed;
      }
    });
    res.writeHead(reply.status, {
      ...reply.headers,
      "Content-Type": "application/json",
      // The middleware sets it on every other answer.
      "X-Request-Id": requestId,
      ...(cookies.lines.length > 0 ? { "Set-Cookie": cookies.lines } : {}),
    });
    res.end(JSON.stringify(reply.body));
  };
}

function toHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}
