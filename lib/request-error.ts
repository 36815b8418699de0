import type { Instrumentation } from "next";
import { REQUEST_ID_HEADER, wellFormedOrNew } from "@/lib/http/request-id";
import { describeError, logEvent, withRequestId } from "@/lib/log";

type FailedRequest = Parameters<Instrumentation.onRequestError>[1];
type FailureContext = Parameters<Instrumentation.onRequestError>[2];

/**
 * Next's onRequestError (instrumentation.ts): an error that nothing of ours
 * answered (a page, layout or server action that threw), as one JSON line
 * under the request's id. Next shows the error page only the `digest`, so the
 * line carries it too: the reference on that page leads here, and the id from
 * here to every other line of the request (docs/decisions/0032).
 */
export function logRequestError(error: unknown, request: FailedRequest, context: FailureContext): void {
  const given = request.headers[REQUEST_ID_HEADER];
  const requestId = wellFormedOrNew(typeof given === "string" ? given : undefined);
  const digest = (error as { digest?: unknown } | null)?.digest;
  withRequestId(requestId, () =>
    logEvent("error", "request_failed", {
      method: request.method,
      // Never the query: it can hold a token (/reset-password?token=…).
      path: request.path.split("?", 1)[0],
      route: context.routePath,
      routeType: context.routeType,
      ...(typeof digest === "string" ? { digest } : {}),
      error: describeError(error),
    }),
  );
}
