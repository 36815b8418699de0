import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import type { EmailAddress } from "@/lib/auth/email-address";
import type { Role } from "@/lib/auth/jwt";

/**
 * For operators (`npm run user -- create`): creates a verified user, or, when
 * the address already has an account, updates only its role.
 */
export async function upsertVerifiedUser(
  input: { email: EmailAddress; password: string; name: string; role: Role },
  now = new Date(),
): Promise<{ id: string; created: boolean }> {
  const db = await getDb();
  const passwordHash = await hashPassword(input.password);
  const id = crypto.randomUUID();
  const [row] = await db
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
    .onConflictDoUpdate({ target: users.emailCanonical, set: { role: input.role, updatedAt: now } })
    .returning({ id: users.id });
  return { id: row!.id, created: row!.id === id };
}
