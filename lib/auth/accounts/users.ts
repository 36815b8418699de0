import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { users } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/sessions/session";

/** The only user shape that leaves the server: never a hash, never a drizzle row. */
export type PublicUser = SessionUser;

type UserRow = Pick<typeof users.$inferSelect, "id" | "email" | "name" | "role" | "emailVerifiedAt">;

export function toPublicUser(row: UserRow): PublicUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role, emailVerified: row.emailVerifiedAt !== null };
}

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  emailVerifiedAt: users.emailVerifiedAt,
};

/** What starting a session needs to know of its user: who they are, whether they may, and whether to email a new device. */
export const signInColumns = { ...publicColumns, disabledAt: users.disabledAt, newDeviceSignInEmails: users.newDeviceSignInEmails };

export async function findUserForLogin(db: Executor, emailCanonical: string) {
  const [row] = await db
    .select({ ...signInColumns, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.emailCanonical, emailCanonical));
  return row ?? null;
}

export async function findPublicUser(db: Executor, userId: string): Promise<PublicUser | null> {
  const [row] = await db.select(publicColumns).from(users).where(eq(users.id, userId));
  return row ? toPublicUser(row) : null;
}

/** Whether a password can sign in to this account (an account made by single sign-on has none until it is reset). */
export async function hasPassword(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return Boolean(row?.passwordHash);
}

/** What a sign-in that presents no password needs to know (a native app redeeming an authorization code). */
export async function findUserForSignIn(db: Executor, userId: string) {
  const [row] = await db
    .select(signInColumns)
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}
