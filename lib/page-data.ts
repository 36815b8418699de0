import "server-only";
import { headers } from "next/headers";
import { isDatabaseUnavailable } from "@/db/errors";
import { withDatabaseDeadline } from "@/lib/deadline";
import { handedOnRequestId } from "@/lib/http/request-id";
import { logEvent, withRequestId } from "@/lib/log";

/**
 * For signed-in pages that need the database. When it cannot be reached the
 * page still renders and says "try again" (contract invariant 8: never a 500,
 * never "sign in again"), so this answers null instead of throwing. Anything
 * else (notFound(), redirect(), a bug) goes on up. What it logs carries the
 * request's id (docs/decisions/0032).
 */
export async function loadPageData<T>(load: () => Promise<T>, during: string): Promise<T | null> {
  const requestId = handedOnRequestId(await headers());
  return withRequestId(requestId, async () => {
    try {
      return await withDatabaseDeadline(load);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      logEvent("warn", "database_unavailable", { during });
      return null;
    }
  });
}
