import { eq } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { users } from "@/db/schema";
import { assignRole } from "@/lib/auth/accounts/assign-role";
import { hashPassword } from "@/lib/auth/passwords/password";
import type { EmailAddress } from "@/lib/auth/accounts/email-address";
import type { Role } from "@/lib/auth/edge/jwt";
import type { ClientMeta } from "@/lib/http/client-meta";

/** The command line has no client: its security events carry no IP or device. */
export const COMMAND_LINE: ClientMeta = { ip: null, userAgent: null };

/**
 * For operators (`npm run user -- create`): creates a verified user, or, when
 * the address already has an account, only sets its role (ending its sessions
 * if the role changes, as every role change does).
 */
export async function upsertVerifiedUser(
  input: { email: EmailAddress; password: string; name: string; role: Role },
  now = new Date(),
): Promise<{ id: string; created: boolean }> {
  const { password, ...account } = input;
  return upsertVerifiedUserWithHash({ ...account, passwordHash: await hashPassword(password) }, now);
}

/** upsertVerifiedUser with the password already hashed by hashPassword: for a caller that hashes one password for many accounts (the test fixtures). */
export async function upsertVerifiedUserWithHash(
  input: { email: EmailAddress; passwordHash: string; name: string; role: Role },
  now = new Date(),
): Promise<{ id: string; created: boolean }> {
  const db = await getDb();
  const { passwordHash } = input;
  const id = crypto.randomUUID();
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(users)
      .values({
        id,
        email: input.email.address,
        emailCanonical: input.email.canonical,
        name: input.name,
        passwordHash,
        role: input.role,
        emailVerifiedAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: users.emailCanonical })
      .returning({ id: users.id });
    if (inserted) return { id: inserted.id, created: true };
    const existing = await assignRoleByEmail(tx, input.email, input.role, now);
    return { id: existing!.id, created: false };
  });
}

/** `npm run user -- role`: sets the role of an existing account; null when no account has that address. */
export async function setRoleByEmail(email: EmailAddress, role: Role, now = new Date()): Promise<RoleSet | null> {
  const db = await getDb();
  return db.transaction((tx) => assignRoleByEmail(tx, email, role, now));
}

type RoleSet = { id: string; changed: boolean; sessionsEnded: number };

async function assignRoleByEmail(tx: Executor, email: EmailAddress, role: Role, now: Date): Promise<RoleSet | null> {
  const [user] = await tx
    .select({ id: users.id, role: users.role })
    .from(users)
    .where(eq(users.emailCanonical, email.canonical))
    .for("update");
  if (!user) return null;
  const result = await assignRole(tx, { user, role, by: { via: "command_line" }, meta: COMMAND_LINE, now });
  return { id: user.id, ...result };
}
