import { AsyncLocalStorage } from "node:async_hooks";
import { DrizzleQueryError } from "drizzle-orm/errors";

// Structured, one JSON object per line. Callers pass facts, never tokens,
// cookie values or passwords: nothing here can redact what it is not told.
// A line written while serving a request carries that request's id
// (docs/decisions/0032): the entry points run their work in withRequestId.

type Level = "info" | "warn" | "error";

const requestIds = new AsyncLocalStorage<string>();

/**
 * `work`, and everything it starts (after() callbacks included: Next runs
 * them in the context they were scheduled from), logs under `requestId`.
 */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return requestIds.run(requestId, work);
}

export function logEvent(level: Level, event: string, fields: Record<string, unknown> = {}): void {
  const requestId = requestIds.getStore();
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...(requestId ? { requestId } : {}), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.info(line);
}

/**
 * What an operator needs to find the fault, and nothing a log must not hold:
 * a failed query's message repeats its parameters (password hashes, token
 * hashes, emails), so for those only the driver's SQLSTATE and class are kept.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return "non-error thrown";
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown }).code;
  if (error instanceof DrizzleQueryError) return `query failed: ${cause?.name ?? "Error"} ${String(code ?? "")}`.trim();
  return `${error.name}${code ? ` ${String(code)}` : ""}: ${error.message}`.slice(0, 300);
}
