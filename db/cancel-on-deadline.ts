import type { Sql } from "postgres";
import { deadlineSignal } from "@/lib/deadline";

// A request cut off by its deadline has answered 503 ("try again"); its
// database work must not carry on and commit behind that answer. This binds
// the postgres.js client drizzle drives to the deadline (lib/deadline.ts):
// - a statement still waiting (queued for a connection, or running on the
//   server) when the deadline fires is cancelled: postgres.js drops a queued
//   one, and sends PostgreSQL a CancelRequest for a running one, which undoes
//   the statement (error 57014), and the transaction around it rolls back;
// - a statement issued after the deadline fired is refused before it is
//   sent, so a transaction that was computing when time ran out rolls back.
// What cannot be undone: a statement that completed (or a COMMIT) whose
// answer was still on the way. docs/decisions/0021 says why that is safe.

/** The postgres.js query object: a lazy promise (it runs when first awaited). */
type PendingQuery = Promise<unknown> & {
  /** postgres.js 3.4's own canceller, which cancel() calls and drops the promise of. */
  canceller?: ((query: PendingQuery) => Promise<void>) | null;
};

type Callback = (sql: Sql) => unknown;

/** `sql`, with every statement drizzle sends through it (transactions included) bound to the current deadline. */
export function cancelOnDeadline<T extends Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      // drizzle sends every statement with unsafe(); begin() and savepoint() hand it a transaction's client.
      if (key === "unsafe") return (...args: unknown[]) => watch(value.apply(target, args) as PendingQuery);
      if (key === "begin" || key === "savepoint") {
        return (...args: unknown[]) => {
          const callback = args.pop() as Callback;
          return value.apply(target, [...args, (tx: Sql) => callback(cancelOnDeadline(tx))]);
        };
      }
      return value;
    },
  });
}

function watch(query: PendingQuery): PendingQuery {
  const signal = deadlineSignal();
  if (!signal) return query;
  // Thrown inside drizzle's async execute, so it reaches the caller as a rejection.
  signal.throwIfAborted();
  const cancel = () => cancelQuietly(query);
  signal.addEventListener("abort", cancel, { once: true });
  const settled = () => signal.removeEventListener("abort", cancel);
  // The native then: postgres.js's own would start the query before drizzle has set it up.
  Promise.prototype.then.call(query, settled, settled);
  return query;
}

/**
 * query.cancel(), minus its unhandled rejection: postgres.js drops the
 * promise of the CancelRequest it opens a connection for, and that promise
 * rejects when the connection is refused (the database going down).
 */
function cancelQuietly(query: PendingQuery): void {
  const canceller = query.canceller;
  query.canceller = null;
  canceller?.(query).catch(() => {});
}
