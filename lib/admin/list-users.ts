import { and, asc, desc, ilike, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { adminUserColumns, toAdminUser, type AdminUser } from "@/lib/admin/admin-user";
import type { ListUsersQuery } from "@/lib/admin/schemas";
import { encodeUserCursor, type UserCursor } from "@/lib/admin/user-cursor";

export type UserPage = {
  users: AdminUser[];
  /** The following (older) page; null on the last one. */
  nextCursor: string | null;
  /** The preceding (newer) page; null on the first one. */
  prevCursor: string | null;
};

/** Newest accounts first; `query` matches email or name anywhere, ignoring case. */
export async function listUsers(input: ListUsersQuery): Promise<UserPage> {
  const db = await getDb();
  const { cursor, limit } = input;
  const backwards = cursor?.direction === "before";
  const key = sql`(${users.createdAt}, ${users.id})`;
  const conditions: (SQL | undefined)[] = [matching(input.query)];
  if (cursor) {
    const at = sql`(${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id}::uuid)`;
    conditions.push(backwards ? sql`${key} > ${at}` : sql`${key} < ${at}`);
  }
  // One row more than a page tells whether another page follows in this direction.
  const rows = await db
    .select(adminUserColumns)
    .from(users)
    .where(and(...conditions))
    .orderBy(...(backwards ? [asc(users.createdAt), asc(users.id)] : [desc(users.createdAt), desc(users.id)]))
    .limit(limit + 1);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backwards) page.reverse();

  const first = page[0];
  const last = page.at(-1);
  // Arriving from a cursor means rows lie on its other side.
  const hasNewer = backwards ? more : cursor !== undefined;
  const hasOlder = backwards ? true : more;
  return {
    users: page.map(toAdminUser),
    nextCursor: hasOlder && last ? cursorAt("after", last) : null,
    prevCursor: hasNewer && first ? cursorAt("before", first) : null,
  };
}

function cursorAt(direction: UserCursor["direction"], row: { createdAt: Date; id: string }): string {
  return encodeUserCursor({ direction, createdAt: row.createdAt, id: row.id });
}

function matching(query: string): SQL | undefined {
  if (!query) return undefined;
  const pattern = `%${escapeLike(query)}%`;
  return or(ilike(users.email, pattern), ilike(users.name, pattern));
}

/** `%` and `_` typed in a search are literal characters, not wildcards (backslash is LIKE's escape). */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}
