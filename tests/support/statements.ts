import { getDb } from "@/db/client";

type PostgresJsOptions = { debug?: unknown };

/**
 * The SQL statements the app's postgres.js client sends while `fn` runs,
 * BEGIN and COMMIT included (postgres.js reports each one to its `debug`
 * hook). PostgreSQL only: PGlite has no connection to count on.
 */
export async function statementsSentDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const db = (await getDb()) as unknown as { $client: { options: PostgresJsOptions } };
  const options = db.$client.options;
  const sent: string[] = [];
  const previous = options.debug;
  options.debug = (_connection: number, statement: string) => sent.push(statement);
  try {
    await fn();
  } finally {
    options.debug = previous;
  }
  return sent;
}
