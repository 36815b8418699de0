import { AsyncLocalStorage } from "node:async_hooks";
import { env } from "@/lib/env";

// A hanging database (packets dropped, connections open but silent) never
// errors by itself: statement_timeout is enforced by the server that is not
// answering. Work that needs PostgreSQL therefore runs against a deadline.
//
// The deadline measures waiting, not computing: password hashing queues for a
// few threads (lib/auth/password-pool.ts), and a login storm must not be
// mistaken for an unreachable database. Hashing runs off the clock.

export class DeadlineExceededError extends Error {
  override name = "DeadlineExceededError";
  readonly code = "DEADLINE_EXCEEDED";
}

/** Contract invariant 8: with the database gone, answer 503 within 5 seconds. */
export const REQUEST_DEADLINE_MS = 4000;

/** A countdown that can stop while the work it times is only computing. */
class Countdown {
  private remaining: number;
  private startedAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pauses = 0;
  private over = false;

  constructor(
    ms: number,
    private readonly expire: () => void,
  ) {
    this.remaining = ms;
    this.run();
  }

  private run(): void {
    this.startedAt = Date.now();
    this.timer = setTimeout(() => {
      this.over = true;
      this.expire();
    }, this.remaining);
  }

  pause(): void {
    if (this.over || this.pauses++ > 0) return;
    clearTimeout(this.timer);
    this.remaining -= Date.now() - this.startedAt;
  }

  resume(): void {
    if (this.over || --this.pauses > 0) return;
    this.run();
  }

  /** Work that outlives its deadline may still pause and resume: nothing restarts. */
  end(): void {
    this.over = true;
    clearTimeout(this.timer);
  }
}

// The countdowns of the deadlines the current work runs under, outermost first.
const countdowns = new AsyncLocalStorage<readonly Countdown[]>();

/** `work` against `ms` of waiting; withDatabaseDeadline is the one the app calls (exported for its tests). */
export async function withDeadline<T>(work: () => Promise<T>, ms: number): Promise<T> {
  let countdown!: Countdown;
  const deadline = new Promise<never>((_, reject) => {
    countdown = new Countdown(ms, () => reject(new DeadlineExceededError(`no answer within ${ms} ms`)));
  });
  try {
    return await Promise.race([countdowns.run([...(countdowns.getStore() ?? []), countdown], work), deadline]);
  } finally {
    countdown.end();
  }
}

/** Only a server can go silent: the embedded database answers or throws, however long it takes. */
export function withDatabaseDeadline<T>(work: () => Promise<T>, ms = REQUEST_DEADLINE_MS): Promise<T> {
  return env().DATABASE_URL ? withDeadline(work, ms) : work();
}

/** CPU work (a password hash) that every deadline it runs under waits for without counting. */
export async function offTheClock<T>(work: () => Promise<T>): Promise<T> {
  const running = countdowns.getStore() ?? [];
  for (const countdown of running) countdown.pause();
  try {
    return await work();
  } finally {
    for (const countdown of running) countdown.resume();
  }
}
