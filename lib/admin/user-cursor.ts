import { z } from "zod";

// Keyset paging over the users list, newest first. (created_at, id) is unique
// and never changes, so a page boundary stays where it was while people sign
// up, and a page costs the same however deep it is (an OFFSET would shift
// under new sign-ups and scan every row it skips).

export type UserCursor = {
  /** "after": the page that follows this row; "before": the page that precedes it. */
  direction: "after" | "before";
  createdAt: Date;
  id: string;
};

const Encoded = z.object({ d: z.enum(["a", "b"]), t: z.iso.datetime(), i: z.uuid() });

/** Opaque to clients: base64url JSON, read back only through decodeUserCursor. */
export function encodeUserCursor(cursor: UserCursor): string {
  const payload = { d: cursor.direction === "after" ? "a" : "b", t: cursor.createdAt.toISOString(), i: cursor.id };
  return Buffer.from(JSON.stringify(payload)).toString("base64url");
}

export function decodeUserCursor(value: string): UserCursor | null {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = Encoded.safeParse(json);
  if (!parsed.success) return null;
  const createdAt = new Date(parsed.data.t);
  // ISO 8601 has a year 0000; PostgreSQL's timestamps do not (1 BC is "0001 BC") and refuse it.
  if (createdAt.getUTCFullYear() < 1) return null;
  return { direction: parsed.data.d === "a" ? "after" : "before", createdAt, id: parsed.data.i };
}
