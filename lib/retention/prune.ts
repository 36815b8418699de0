import { sql } from "drizzle-orm";
import { executeRows, getDb, type Executor } from "@/db/client";
import type { RetentionPolicy } from "@/lib/retention/policy";
import { PRUNED_TABLES, retentionRules, type PrunedTable, type RetentionRule } from "@/lib/retention/rules";

export type PruneInput = {
  now: Date;
  policy: RetentionPolicy;
  /** Rows one statement deletes at most. */
  batchSize: number;
  /** No statement starts after this many milliseconds; what is left waits for the next run. */
  budgetMs: number;
};

export type PruneReport = {
  deleted: Record<PrunedTable, number>;
  /** DELETE statements sent. */
  statements: number;
  /** False when the budget ran out with rows possibly left to delete. */
  done: boolean;
};

/**
 * Deletes what the retention rules (lib/retention/rules.ts) say is over, in
 * batches of at most `batchSize` rows, each its own statement and its own
 * transaction: no statement holds many row locks, or holds them long, on a
 * table that requests are writing. Rows a request holds locked at that moment
 * are skipped (SKIP LOCKED), never waited for: they go on a later run.
 */
export async function pruneTables(input: PruneInput): Promise<PruneReport> {
  const db = await getDb();
  const started = performance.now();
  const report: PruneReport = { deleted: Object.fromEntries(PRUNED_TABLES.map((table) => [table, 0])) as Record<PrunedTable, number>, statements: 0, done: true };
  for (const rule of retentionRules(input.policy, input.now)) {
    for (;;) {
      if (performance.now() - started >= input.budgetMs) return { ...report, done: false };
      const deleted = await deleteBatch(db, rule, input.batchSize);
      report.statements += 1;
      report.deleted[rule.table] += deleted;
      if (deleted < input.batchSize) break;
    }
  }
  return report;
}

/** One statement: lock up to `limit` qualifying rows that nobody else holds, and delete them. */
async function deleteBatch(db: Executor, rule: RetentionRule, limit: number): Promise<number> {
  const table = sql.identifier(rule.table);
  const key = sql.identifier(rule.key);
  const [row] = await executeRows<{ deleted: number }>(
    db,
    sql`with batch as (select ${key} from ${table} where ${rule.condition} limit ${limit} for update skip locked),
             gone as (delete from ${table} t using batch where t.${key} = batch.${key} returning 1)
        select count(*)::int as deleted from gone`,
  );
  return row?.deleted ?? 0;
}
