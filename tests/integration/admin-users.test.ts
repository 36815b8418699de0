import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { adminApi } from "../support/admin-api";
import type { TestClient } from "../support/client";
import { createUser, loginAs } from "../support/fixtures";

// Listing, searching and paging users; one user's details.

const ADMIN_USER_KEYS = ["createdAt", "disabledAt", "email", "emailVerified", "id", "lastSignInAt", "name", "role"];

async function signedInAdmin(): Promise<TestClient> {
  return loginAs(await createUser("root@example.com", { role: "admin", name: "Root Admin" }));
}

/**
 * Rows straight into the table (no bcrypt: nobody signs in as them), created
 * one second apart, newest last; pairs share a creation time so the id breaks the tie.
 */
async function insertUsers(count: number, { start = new Date("2026-01-01T00:00:00Z"), prefix = "person" } = {}): Promise<string[]> {
  const db = await getDb();
  const rows = Array.from({ length: count }, (_, index) => {
    const createdAt = new Date(start.getTime() + Math.floor(index / 2) * 1000);
    const email = `${prefix}${String(index).padStart(2, "0")}@example.com`;
    return { id: crypto.randomUUID(), email, emailCanonical: email, name: `Person ${index}`, passwordHash: "unused", createdAt, updatedAt: createdAt };
  });
  await db.insert(users).values(rows);
  return rows.map((row) => row.id);
}

type Page = { users: { id: string; email: string; createdAt: string }[]; nextCursor: string | null; prevCursor: string | null };

async function page(client: TestClient, search: string): Promise<Page> {
  const response = await adminApi.list(client, search);
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json();
}

describe("GET /api/admin/users", () => {
  it("lists the newest accounts first, each with the public fields and the admin-only ones, never a hash", async () => {
    const admin = await signedInAdmin();
    await createUser("ada@example.com", { name: "Ada Lovelace" });
    const response = await adminApi.list(admin);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    expect(text).not.toMatch(/\$2[aby]\$|passwordHash|password_hash/);
    const body = JSON.parse(text);
    expect(Object.keys(body).sort()).toEqual(["nextCursor", "prevCursor", "users"]);
    expect(body.users.map((u: { email: string }) => u.email)).toEqual(["ada@example.com", "root@example.com"]);
    for (const user of body.users) expect(Object.keys(user).sort()).toEqual(ADMIN_USER_KEYS);
    const root = body.users[1];
    expect(root).toMatchObject({ name: "Root Admin", role: "admin", emailVerified: true, disabledAt: null });
    expect(Date.parse(root.lastSignInAt)).toBeGreaterThan(Date.parse(root.createdAt) - 1);
    expect(body.users[0].lastSignInAt).toBeNull();
    expect(body).toMatchObject({ nextCursor: null, prevCursor: null });
  });

  it("pages through every account once, in a stable order, forwards and back", async () => {
    const admin = await signedInAdmin();
    const inserted = await insertUsers(25);
    const seen: string[] = [];
    const cursors: (string | null)[] = [];
    let search = "?limit=10";
    for (;;) {
      const current = await page(admin, search);
      cursors.push(current.prevCursor);
      seen.push(...current.users.map((u) => u.id));
      if (!current.nextCursor) break;
      search = `?limit=10&cursor=${current.nextCursor}`;
    }
    // 25 inserted + the admin, created last: three pages of 10, 10 and 6.
    expect(seen).toHaveLength(26);
    expect(new Set(seen).size).toBe(26);
    expect(new Set(seen)).toEqual(new Set([...inserted, seen[0]]));
    expect(cursors[0]).toBeNull();
    const created = seen.slice(1).map((id) => inserted.indexOf(id));
    // Newest first: an index is never higher than the one before it, except within a tie (same second).
    for (let i = 1; i < created.length; i++) expect(Math.floor(created[i]! / 2)).toBeLessThanOrEqual(Math.floor(created[i - 1]! / 2));

    // Back from the last page: the same rows as on the way forwards.
    const last = await page(admin, search);
    const middle = await page(admin, `?limit=10&cursor=${last.prevCursor}`);
    expect(middle.users.map((u) => u.id)).toEqual(seen.slice(10, 20));
    const first = await page(admin, `?limit=10&cursor=${middle.prevCursor}`);
    expect(first.users.map((u) => u.id)).toEqual(seen.slice(0, 10));
    expect(first.prevCursor).toBeNull();
    expect(first.nextCursor).not.toBeNull();
  });

  it("keeps a page where it was while new accounts are created", async () => {
    const admin = await signedInAdmin();
    await insertUsers(6);
    const first = await page(admin, "?limit=3");
    const second = await page(admin, `?limit=3&cursor=${first.nextCursor}`);
    await insertUsers(4, { start: new Date("2027-01-01T00:00:00Z"), prefix: "newcomer" });
    const again = await page(admin, `?limit=3&cursor=${first.nextCursor}`);
    expect(again.users.map((u) => u.id)).toEqual(second.users.map((u) => u.id));
  });

  it("searches email and name anywhere, ignoring case; wildcards typed are literal", async () => {
    const admin = await signedInAdmin();
    await createUser("Grace.Hopper@Example.com", { name: "Grace Hopper" });
    await createUser("ada@example.com", { name: "Ada Lovelace" });
    await createUser("percent@example.com", { name: "100% Sure" });
    const emails = async (query: string) => (await page(admin, `?query=${encodeURIComponent(query)}`)).users.map((u) => u.email);
    expect(await emails("GRACE")).toEqual(["Grace.Hopper@Example.com"]);
    expect(await emails("lovelace")).toEqual(["ada@example.com"]);
    expect(await emails("  hopper@EXAMPLE  ")).toEqual(["Grace.Hopper@Example.com"]);
    expect(await emails("%")).toEqual(["percent@example.com"]);
    expect(await emails("_")).toEqual([]);
    expect(await emails("nobody")).toEqual([]);
    // Fullwidth letters are folded (NFKC), as emails are when stored.
    expect(await emails("ＧＲＡＣＥ")).toEqual(["Grace.Hopper@Example.com"]);
    expect((await emails("example.com")).length).toBe(4);
  });

  it("pages through search results too", async () => {
    const admin = await signedInAdmin();
    await insertUsers(12);
    const emails: string[] = [];
    let search = "?query=PERSON0&limit=4";
    for (let pages = 1; ; pages++) {
      const current = await page(admin, search);
      emails.push(...current.users.map((u) => u.email));
      if (!current.nextCursor) {
        expect(pages).toBe(3);
        break;
      }
      search = `?query=PERSON0&limit=4&cursor=${current.nextCursor}`;
    }
    // person00 … person09 match; person10, person11 and the admin do not.
    expect(emails.toSorted()).toEqual(Array.from({ length: 10 }, (_, i) => `person0${i}@example.com`));
  });
});

describe("GET /api/admin/users/:id", () => {
  it("answers with the user, their live sessions and their recent security events", async () => {
    const admin = await signedInAdmin();
    const ada = await createUser("ada@example.com", { name: "Ada Lovelace" });
    await loginAs(ada);
    await loginAs(ada);
    const response = await adminApi.get(admin, ada.id);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toMatch(/\$2[aby]\$|passwordHash|tokenHash/);
    const body = JSON.parse(text);
    expect(Object.keys(body).sort()).toEqual(["apiKeys", "events", "sessions", "signInMethods", "user"]);
    expect(body.user).toMatchObject({ id: ada.id, email: "ada@example.com", role: "user" });
    expect(body.apiKeys).toEqual([]);
    expect(body.signInMethods).toEqual({ password: true, totp: false, passkeys: 0, providers: [] });
    expect(body.sessions).toHaveLength(2);
    for (const session of body.sessions) {
      expect(Object.keys(session).sort()).toEqual(["createdAt", "current", "id", "ip", "lastUsedAt", "userAgent"]);
      expect(session.current).toBe(false);
    }
    expect(body.events.map((e: { type: string }) => e.type)).toEqual(["sign_in", "sign_in"]);
    expect(body.events[0]).toMatchObject({ description: expect.stringMatching(/^Signed in/), actor: null });
  });
});
