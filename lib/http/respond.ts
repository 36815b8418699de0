import { NextResponse, type NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/db/errors";
import { describeError, logEvent, withRequestId } from "@/lib/log";
import { withDatabaseDeadline } from "@/lib/deadline";
import { handedOnRequestId } from "@/lib/http/request-id";

export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The contract's JSON error: its status, body and headers, for either kind of route. */
export function errorReply(error: AppError): { status: number; body: unknown; headers: Record<string, string> } {
  const body = { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } };
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (error.retryAfterSeconds !== undefined) headers["Retry-After"] = String(error.retryAfterSeconds);
  return { status: error.status, body, headers };
}

export function errorResponse(error: AppError): NextResponse {
  const { status, body, headers } = errorReply(error);
  return NextResponse.json(body, { status, headers });
}

/** Anything a handler throws, as the error it answers with: never a stack, never SQL. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) {
    logEvent("warn", "database_unavailable", { error: describeError(error) });
    return new AppError("unavailable", { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
  }
  logEvent("error", "unhandled_error", { error: describeError(error) });
  return new AppError("internal");
}

export function toErrorResponse(error: unknown): NextResponse {
  return errorResponse(toAppError(error));
}

type Handler<C> = (request: NextRequest, context: C) => Promise<Response>;

/**
 * Wraps a route handler so every failure leaves as a JSON error, and a handler
 * stuck on a silent database leaves as a 503 in time. The work cut off by the
 * deadline is cancelled, its transaction rolled back (lib/deadline.ts). What
 * it logs carries the request's id (docs/decisions/0032).
 */
export function route<C>(handler: Handler<C>): Handler<C> {
  return (request, context) =>
    withRequestId(handedOnRequestId(request.headers), async () => {
      try {
        return await withDatabaseDeadline(() => handler(request, context));
      } catch (error) {
        return toErrorResponse(error);
      }
    });
}
