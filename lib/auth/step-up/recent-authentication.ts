import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { sessions } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { LiveSession } from "@/lib/auth/sessions/session";

// Step-up (docs/decisions/0036): a stolen session that is hours old must not
// change the password, the second factors, the API keys or anything an admin
// can change. Those want the person to have proved who they are in this
// session within the last ten minutes: by signing in, or by a step-up
// (password, authenticator code, recovery code or passkey). The time is a
// column of the session's row, read by the liveness query every protected
// request already makes, so the check costs nothing and holds on every
// instance.

export const STEP_UP_WINDOW_SECONDS = 600;

export function isRecentlyAuthenticated(live: Pick<LiveSession, "authenticatedAt">, now = new Date()): boolean {
  return now.getTime() - live.authenticatedAt.getTime() <= STEP_UP_WINDOW_SECONDS * 1000;
}

/** Throws 403 `reauthentication_required` unless the session authenticated within the window. */
export function requireRecentAuthentication(live: Pick<LiveSession, "authenticatedAt">, now = new Date()): void {
  if (!isRecentlyAuthenticated(live, now)) throw new AppError("reauthenticationRequired");
}

/** When the window opened by the session's last authentication closes. */
export function recentAuthenticationEndsAt(live: Pick<LiveSession, "authenticatedAt">): Date {
  return new Date(live.authenticatedAt.getTime() + STEP_UP_WINDOW_SECONDS * 1000);
}

/**
 * Records that the person proved who they are in this session now. A second
 * factor also marks the session two-factor; a password alone never unmarks it.
 */
export async function markAuthenticated(db: Executor, input: { sessionId: string; twoFactor: boolean; now: Date }): Promise<void> {
  await db
    .update(sessions)
    .set({ authenticatedAt: input.now, twoFactor: input.twoFactor ? true : sql`${sessions.twoFactor}` })
    .where(eq(sessions.id, input.sessionId));
}
