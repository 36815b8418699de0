import { and, eq, gt } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { webauthnChallenges } from "@/db/schema";

// Challenges live on the server (WebAuthn §13.4.3: the relying party must
// know the challenge it sent, and it must be used once). Each is a row bound
// to its purpose and, when someone signed in asked, to their user and
// session; the browser holds only the row's id, sealed (ceremony-cookie.ts).

export type CeremonyPurpose = (typeof webauthnChallenges.$inferSelect)["purpose"];

/** Five minutes: the browser's own timeout is one (the options' `timeout`), plus the person's hesitation. */
export const CHALLENGE_TTL_SECONDS = 300;

export type StoredChallenge = { id: string; challenge: string; userId: string | null; sessionId: string | null };

/** Keeps the challenge of options just made (the library's own 32 random bytes, base64url); returns its row's id. */
export async function storeChallenge(
  db: Executor,
  input: { challenge: string; purpose: CeremonyPurpose; userId?: string; sessionId?: string; now: Date },
): Promise<string> {
  const id = crypto.randomUUID();
  await db.insert(webauthnChallenges).values({
    id,
    challenge: input.challenge,
    userId: input.userId ?? null,
    sessionId: input.sessionId ?? null,
    purpose: input.purpose,
    expiresAt: new Date(input.now.getTime() + CHALLENGE_TTL_SECONDS * 1000),
    createdAt: input.now,
  });
  return id;
}

/**
 * Takes the challenge for this purpose, if it is still live, and deletes it in
 * the same statement: of two requests presenting one challenge, exactly one
 * gets it, whatever happens to the verification that follows.
 */
export async function consumeChallenge(
  db: Executor,
  input: { id: string; purpose: CeremonyPurpose; now: Date },
): Promise<StoredChallenge | null> {
  const [row] = await db
    .delete(webauthnChallenges)
    .where(and(eq(webauthnChallenges.id, input.id), eq(webauthnChallenges.purpose, input.purpose), gt(webauthnChallenges.expiresAt, input.now)))
    .returning({ id: webauthnChallenges.id, challenge: webauthnChallenges.challenge, userId: webauthnChallenges.userId, sessionId: webauthnChallenges.sessionId });
  return row ?? null;
}
