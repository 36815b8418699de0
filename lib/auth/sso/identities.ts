import { and, asc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { userIdentities, users } from "@/db/schema";
import { signInColumns } from "@/lib/auth/accounts/users";

// The user_identities table: which provider accounts sign in to which user.

export type LinkedIdentity = { id: string; provider: string; email: string | null; createdAt: Date; lastUsedAt: Date };

export async function findIdentityOwner(db: Executor, provider: string, subject: string) {
  const [row] = await db
    .select({ identityId: userIdentities.id, ...signInColumns })
    .from(userIdentities)
    .innerJoin(users, eq(users.id, userIdentities.userId))
    .where(and(eq(userIdentities.provider, provider), eq(userIdentities.subject, subject)));
  return row ?? null;
}

/** False when that provider account is already linked (to this user or another): the unique index decides, race or not. */
export async function insertIdentity(
  db: Executor,
  input: { userId: string; provider: string; subject: string; email: string | null; now: Date },
): Promise<boolean> {
  const inserted = await db
    .insert(userIdentities)
    .values({ id: crypto.randomUUID(), userId: input.userId, provider: input.provider, subject: input.subject, email: input.email, createdAt: input.now, lastUsedAt: input.now })
    .onConflictDoNothing({ target: [userIdentities.provider, userIdentities.subject] })
    .returning({ id: userIdentities.id });
  return inserted.length === 1;
}

export async function touchIdentity(db: Executor, input: { identityId: string; email: string | null; now: Date }): Promise<void> {
  await db.update(userIdentities).set({ lastUsedAt: input.now, email: input.email }).where(eq(userIdentities.id, input.identityId));
}

export async function listIdentities(db: Executor, userId: string): Promise<LinkedIdentity[]> {
  return db
    .select({ id: userIdentities.id, provider: userIdentities.provider, email: userIdentities.email, createdAt: userIdentities.createdAt, lastUsedAt: userIdentities.lastUsedAt })
    .from(userIdentities)
    .where(eq(userIdentities.userId, userId))
    .orderBy(asc(userIdentities.createdAt));
}

export async function countIdentities(db: Executor, userId: string): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(userIdentities).where(eq(userIdentities.userId, userId));
  return row?.count ?? 0;
}

/** The removed row's provider, or null when the user has no such identity. */
export async function deleteIdentity(db: Executor, input: { userId: string; identityId: string }): Promise<string | null> {
  const [row] = await db
    .delete(userIdentities)
    .where(and(eq(userIdentities.id, input.identityId), eq(userIdentities.userId, input.userId)))
    .returning({ provider: userIdentities.provider });
  return row?.provider ?? null;
}
