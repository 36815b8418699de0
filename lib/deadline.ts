import { AsyncLocalStorage } from "node:async_hooks";
import { env } from "@/lib/env";

// A hanging database (packets dropped, connections open but silent) never
// errors by itself: statement_timeout is enforced by the server that is not
// answering. Work that needs PostgreSQL therefore runs against a deadline.
//
// When the deadline fires, the answer leaves at once (503) and the work is
// cancelled: its signal aborts, and the database client cancels the statement
// it is waiting on and refuses any further one, so its transaction rolls back
// (db/cancel-on-deadline.ts, docs/decisions/0021). A statement that already
// committed, its answer lost on the way, cannot be undone: what it did must be
// safe to have done after a 503 (lib/auth/sessions/rotate-refresh-token.ts).
//
// The deadline measures waiting, not computing: password hashing queues for a
// few threads (lib/auth/passwords/password-pool.ts), and a login storm must not be
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

type Scope = {
  /** The countdowns of the deadlines the current work runs under, outermost first. */
  countdowns: readonly Countdown[];
  /** Aborts, with the DeadlineExceededError, when any of them fires. */
  signal: AbortSignal;
};
const scopes = new AsyncLocalStorage<Scope>();

/** `work` against `ms` of waiting; withDatabaseDeadline is the one the app calls (exported for its tests). */
export async function withDeadline<T>(work: () => Promise<T>, ms: number): Promise<T> {
  const expired = new AbortController();
  let countdown!: Countdown;
  const deadline = new Promise<never>((_, reject) => {
    countdown = new Countdown(ms, () => {
      const error = new DeadlineExceededError(`no answer within ${ms} ms`);
      expired.abort(error);
      reject(error);
    });
  });
  const outer = scopes.getStore();
  const scope: Scope = {
    countdowns: [...(outer?.countdowns ?? []), countdown],
    signal: outer ? AbortSignal.any([outer.signal, expired.signal]) : expired.signal,
  };
  try {
    return await Promise.race([scopes.run(scope, work), deadline]);
  } finally {
    countdown.end();
  }
}

/** Only a server can go silent: the embedded database answers or throws, however long it takes. */
export function withDatabaseDeadline<T>(work: () => Promise<T>, ms = REQUEST_DEADLINE_MS): Promise<T> {
  return env().DATABASE_URL ? withDeadline(work, ms) : work();
}

/** Aborts when a deadline the current work runs under fires; undefined outside any deadline. */
export function deadlineSignal(): AbortSignal | undefined {
  return scopes.getStore()?.signal;
}

/** CPU work (a password hash) that every deadline it runs under waits for without counting. */
export async function offTheClock<T>(work: () => Promise<T>): Promise<T> {
  const running = scopes.getStore()?.countdowns ?? [];
  for (const countdown of running) countdown.pause();
  try {
    return await work();
  } finally {
    for (const countdown of running) countdown.resume();
  }
}
