import { describe, expect, it } from "vitest";
import { decodeUserCursor, encodeUserCursor } from "@/lib/admin/user-cursor";

describe("user cursors", () => {
  it("read back what they were made from", () => {
    const cursor = { direction: "before" as const, createdAt: new Date("2026-11-27T10:00:00.123Z"), id: "0b6d3b4e-6f3a-4c53-9d2e-6a1f4f1c2b3a" };
    expect(decodeUserCursor(encodeUserCursor(cursor))).toEqual(cursor);
    expect(encodeUserCursor(cursor)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("refuse anything else instead of guessing", () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    for (const value of [
      "",
      "not base64 at all!",
      encode("a string"),
      encode({ d: "a", t: "yesterday", i: "0b6d3b4e-6f3a-4c53-9d2e-6a1f4f1c2b3a" }),
      encode({ d: "x", t: "2026-11-27T10:00:00.000Z", i: "0b6d3b4e-6f3a-4c53-9d2e-6a1f4f1c2b3a" }),
      encode({ d: "a", t: "2026-11-27T10:00:00.000Z", i: "1 or 1=1" }),
      // Valid ISO 8601, but a year PostgreSQL refuses (a 500, before this check).
      encode({ d: "a", t: "0000-01-01T00:00:00.000Z", i: "0b6d3b4e-6f3a-4c53-9d2e-6a1f4f1c2b3a" }),
    ]) {
      expect(decodeUserCursor(value), value).toBeNull();
    }
  });
});
