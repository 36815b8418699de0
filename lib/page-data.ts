import "server-only";
import { isDatabaseUnavailable } from "@/db/errors";
import { withDatabaseDeadline } from "@/lib/deadline";
import { logEvent } from "@/lib/log";

/**
 * For signed-in pages that need the database. When it cannot be reached the
 * page still renders and says "try again" (contract invariant 8: never a 500,
 * never "sign in again"), so this answers null instead of throwing. Anything
 * else (notFound(), redirect(), a bug) goes on up.
 */
export async function loadPageData<T>(load: () => Promise<T>, during: string): Promise<T | null> {
  try {
    return await withDatabaseDeadline(load);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    logEvent("warn", "database_unavailable", { during });
    return null;
  }
}
