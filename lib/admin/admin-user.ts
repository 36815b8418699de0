import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { users } from "@/db/schema";
import { toPublicUser, type PublicUser } from "@/lib/auth/accounts/users";

/**
 * What admins see of an account: the public user and a few facts about it.
 * Never the password hash: columns are picked here, one by one.
 */
export type AdminUser = PublicUser & {
  createdAt: string;
  /** When the account was disabled; null while it may sign in. */
  disabledAt: string | null;
  /** When its newest session began (sign-in or email confirmation); null if it never signed in. */
  lastSignInAt: string | null;
};

export const adminUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  emailVerifiedAt: users.emailVerifiedAt,
  createdAt: users.createdAt,
  disabledAt: users.disabledAt,
  lastSignInAt: users.lastSignInAt,
};

type AdminUserRow = Pick<typeof users.$inferSelect, "id" | "email" | "name" | "role" | "emailVerifiedAt" | "createdAt" | "disabledAt" | "lastSignInAt">;

export function toAdminUser(row: AdminUserRow): AdminUser {
  return {
    ...toPublicUser(row),
    createdAt: row.createdAt.toISOString(),
    disabledAt: row.disabledAt?.toISOString() ?? null,
    lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
  };
}

export async function findAdminUser(db: Executor, userId: string): Promise<AdminUser | null> {
  const [row] = await db.select(adminUserColumns).from(users).where(eq(users.id, userId));
  return row ? toAdminUser(row) : null;
}
