import { NextResponse, type NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/db/errors";
import { describeError, logEvent } from "@/lib/log";
import { withDatabaseDeadline } from "@/lib/deadline";

export const DATABASE_RETRY_AFTER_SECONDS = 5;

export function errorResponse(error: AppError): NextResponse {
  const body = { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } };
  const response = NextResponse.json(body, { status: error.status });
  if (error.retryAfterSeconds !== undefined) response.headers.set("Retry-After", String(error.retryAfterSeconds));
  response.headers.set("Cache-Control", "no-store");
  return response;
}

/** Maps anything a handler throws to the contract's JSON error: never a stack, never SQL. */
export function toErrorResponse(error: unknown): NextResponse {
  if (error instanceof AppError) return errorResponse(error);
  if (isDatabaseUnavailable(error)) {
    logEvent("warn", "database_unavailable", { error: describeError(error) });
    return errorResponse(new AppError("unavailable", { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS }));
  }
  logEvent("error", "unhandled_error", { error: describeError(error) });
  return errorResponse(new AppError("internal"));
}

type Handler<C> = (request: NextRequest, context: C) => Promise<Response>;

/**
 * Wraps a route handler so every failure leaves as a JSON error, and a handler
 * stuck on a silent database leaves as a 503 in time. The work cut off by the
 * deadline is cancelled, its transaction rolled back (lib/deadline.ts).
 */
export function route<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await withDatabaseDeadline(() => handler(request, context));
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}
