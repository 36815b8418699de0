import { env } from "@/lib/env";

// A hanging database (packets dropped, connections open but silent) never
// errors by itself: statement_timeout is enforced by the server that is not
// answering. Work that needs PostgreSQL therefore runs against a deadline.

export class DeadlineExceededError extends Error {
  override name = "DeadlineExceededError";
  readonly code = "DEADLINE_EXCEEDED";
}

/** Contract invariant 8: with the database gone, answer 503 within 5 seconds. */
export const REQUEST_DEADLINE_MS = 4000;

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Only a server can go silent: the embedded database answers or throws, however long it takes. */
export function withDatabaseDeadline<T>(work: Promise<T>, ms = REQUEST_DEADLINE_MS): Promise<T> {
  return env().DATABASE_URL ? withDeadline(work, ms) : work;
}
