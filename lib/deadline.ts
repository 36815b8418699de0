// A hanging database (packets dropped, connections open but silent) never
// errors by itself: statement_timeout is enforced by the server that is not
// answering. Work that needs the database therefore runs against a deadline.

export class DeadlineExceededError extends Error {
  override name = "DeadlineExceededError";
  readonly code = "DEADLINE_EXCEEDED";
}

export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
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
