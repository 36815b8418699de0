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

type PgliteClient = { query: (...args: unknown[]) => Promise<unknown>; transaction: (...args: unknown[]) => Promise<unknown> };

/**
 * How many statements (or transactions) reach the database while `fn` runs,
 * on either engine: postgres.js's debug hook, or PGlite's query and
 * transaction calls. For "nothing was asked" checks on PGlite too.
 */
export async function databaseCallsDuring(fn: () => Promise<unknown>): Promise<number> {
  if (process.env.DOORMAN_TEST_DATABASE === "postgres") return (await statementsSentDuring(fn)).length;
  const db = (await getDb()) as unknown as { $client: PgliteClient };
  const client = db.$client;
  const { query, transaction } = client;
  let calls = 0;
  client.query = (...args) => ((calls += 1), query.apply(client, args));
  client.transaction = (...args) => ((calls += 1), transaction.apply(client, args));
  try {
    await fn();
  } finally {
    client.query = query;
    client.transaction = transaction;
  }
  return calls;
}
