import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { refresh } from "../support/node-route";
import { GET as me } from "@/app/api/me/route";
import { getDb } from "@/db/client";
import { securityEvents, sessions, users } from "@/db/schema";
import { parseEmailAddress } from "@/lib/auth/accounts/email-address";
import { setRoleByEmail, upsertVerifiedUser } from "@/lib/auth/accounts/upsert-user";
import { adminApi } from "../support/admin-api";
import { TestClient, type RouteHandler } from "../support/client";
import { createUser, loginAs, PASSWORD } from "../support/fixtures";
import { expectJsonError } from "../support/http";
import { countRows } from "../support/rows";

// What admins do to accounts, and what it does to the people signed in to them.

const h = (handler: unknown) => handler as RouteHandler;

async function setUp() {
  const admin = await createUser("root@example.com", { role: "admin", name: "Root Admin" });
  const ada = await createUser("ada@example.com", { name: "Ada Lovelace" });
  return { admin, adminClient: await loginAs(admin), ada, laptop: await loginAs(ada), phone: await loginAs(ada) };
}

/** Both the access JWT (on its next request) and the refresh token are refused. */
async function expectSignedOut(client: TestClient): Promise<void> {
  expect((await client.call(h(me), { path: "/api/me" })).status).toBe(401);
  expect((await client.call(h(refresh), { path: "/api/auth/refresh", body: "" })).status).toBe(401);
}

async function events(type: string, userId: string) {
  const db = await getDb();
  return db.select().from(securityEvents).where(and(eq(securityEvents.type, type), eq(securityEvents.userId, userId)));
}

function tryLogin(email: string, password = PASSWORD) {
  return new TestClient().call(h(login), { path: "/api/auth/login", json: { email, password } });
}

describe("DELETE /api/admin/users/:id/sessions", () => {
  it("signs the user out on every device and records who did it", async () => {
    const { admin, adminClient, ada, laptop, phone } = await setUp();
    const response = await adminApi.endSessions(adminClient, ada.id);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sessionsEnded: 2 });
    await expectSignedOut(laptop);
    await expectSignedOut(phone);
    expect((await adminClient.call(h(me), { path: "/api/me" })).status).toBe(200);
    const [event] = await events("admin_sessions_revoked", ada.id);
    expect(event!.detail).toEqual({ actorId: admin.id, sessionsEnded: 2 });
    // They may sign in again.
    expect((await tryLogin(ada.email)).status).toBe(200);
  });
});

describe("POST /api/admin/users/:id/disable and /enable", () => {
  it("disables: every session ends in the same transaction, sign-in is refused like a wrong password", async () => {
    const { admin, adminClient, ada, laptop, phone } = await setUp();
    const response = await adminApi.disable(adminClient, ada.id);
    expect(response.status).toBe(200);
    const { user } = await response.json();
    expect(user).toMatchObject({ id: ada.id, email: "ada@example.com", role: "user" });
    expect(Date.parse(user.disabledAt)).not.toBeNaN();

    await expectSignedOut(laptop);
    await expectSignedOut(phone);
    const db = await getDb();
    const live = await db.select().from(sessions).where(and(eq(sessions.userId, ada.id), eq(sessions.revokedReason, "account_disabled")));
    expect(live).toHaveLength(2);

    // The same answer as a wrong password: nobody learns the account exists, or that it is disabled.
    const refused = await expectJsonError(await tryLogin(ada.email), 401, "invalid_credentials");
    const wrong = await (await tryLogin("nobody@example.com")).json();
    expect(refused).toEqual(wrong);

    const [event] = await events("account_disabled", ada.id);
    expect(event!.detail).toEqual({ actorId: admin.id, sessionsEnded: 2 });
    const [failed] = await events("sign_in_failed", ada.id);
    expect(failed!.detail).toEqual({ reason: "disabled" });
  });

  it("disabling twice changes nothing the second time", async () => {
    const { adminClient, ada } = await setUp();
    const first = await (await adminApi.disable(adminClient, ada.id)).json();
    const second = await adminApi.disable(adminClient, ada.id);
    expect(second.status).toBe(200);
    expect((await second.json()).user.disabledAt).toBe(first.user.disabledAt);
    expect(await events("account_disabled", ada.id)).toHaveLength(1);
  });

  it("enables: sign-in works again, and the sessions that ended stay ended", async () => {
    const { admin, adminClient, ada, laptop } = await setUp();
    await adminApi.disable(adminClient, ada.id);
    const response = await adminApi.enable(adminClient, ada.id);
    expect(response.status).toBe(200);
    expect((await response.json()).user.disabledAt).toBeNull();
    await expectSignedOut(laptop);
    expect((await tryLogin(ada.email)).status).toBe(200);
    const [event] = await events("account_enabled", ada.id);
    expect(event!.detail).toEqual({ actorId: admin.id });
    // Enabling an enabled account records nothing more.
    await adminApi.enable(adminClient, ada.id);
    expect(await events("account_enabled", ada.id)).toHaveLength(1);
  });

  it("refuses an admin disabling themselves with 409 own_account, and changes nothing", async () => {
    const { admin, adminClient } = await setUp();
    await expectJsonError(await adminApi.disable(adminClient, admin.id), 409, "own_account");
    expect((await adminApi.list(adminClient)).status).toBe(200);
    expect(await countRows(securityEvents, eq(securityEvents.type, "account_disabled"))).toBe(0);
  });

  it("lets one admin disable another, who is then refused at once", async () => {
    const { adminClient } = await setUp();
    const grace = await createUser("grace@example.com", { role: "admin" });
    const graceClient = await loginAs(grace);
    expect((await adminApi.disable(adminClient, grace.id)).status).toBe(200);
    await expectJsonError(await adminApi.list(graceClient), 401, "invalid_session");
  });
});

describe("PATCH /api/admin/users/:id/role", () => {
  it("promotes a user: their sessions end, and after signing in again they are an admin", async () => {
    const { admin, adminClient, ada, laptop } = await setUp();
    const response = await adminApi.setRole(adminClient, ada.id, { role: "admin" });
    expect(response.status).toBe(200);
    expect((await response.json()).user).toMatchObject({ id: ada.id, role: "admin" });
    // The old access JWT says "user": it must not outlive the change, in either direction.
    await expectSignedOut(laptop);
    const [event] = await events("role_changed", ada.id);
    expect(event!.detail).toEqual({ actorId: admin.id, from: "user", to: "admin", sessionsEnded: 2 });

    const again = await loginAs(ada);
    expect((await adminApi.list(again)).status).toBe(200);
  });

  it("demotes an admin: refused at once, their access JWT notwithstanding", async () => {
    const { adminClient } = await setUp();
    const grace = await createUser("grace@example.com", { role: "admin" });
    const graceClient = await loginAs(grace);
    expect((await adminApi.setRole(adminClient, grace.id, { role: "user" })).status).toBe(200);
    await expectJsonError(await adminApi.list(graceClient), 401, "invalid_session");
    await expectJsonError(await adminApi.list(await loginAs(grace)), 403, "forbidden");
  });

  it("setting the role a user already has ends nothing", async () => {
    const { adminClient, ada, laptop } = await setUp();
    expect((await adminApi.setRole(adminClient, ada.id, { role: "user" })).status).toBe(200);
    expect((await laptop.call(h(me), { path: "/api/me" })).status).toBe(200);
    expect(await events("role_changed", ada.id)).toHaveLength(0);
  });

  it("refuses an admin changing their own role with 409 own_account", async () => {
    const { admin, adminClient } = await setUp();
    for (const role of ["user", "admin"]) {
      await expectJsonError(await adminApi.setRole(adminClient, admin.id, { role }), 409, "own_account");
    }
    const db = await getDb();
    const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, admin.id));
    expect(row!.role).toBe("admin");
  });

  it("two admins demoting each other at once: one wins, the other is refused, an admin remains", async () => {
    const { admin, adminClient } = await setUp();
    const grace = await createUser("grace@example.com", { role: "admin" });
    const graceClient = await loginAs(grace);
    const answers = await Promise.all([
      adminApi.setRole(adminClient, grace.id, { role: "user" }),
      adminApi.setRole(graceClient, admin.id, { role: "user" }),
    ]);
    const statuses = answers.map((response) => response.status).sort();
    expect(statuses[0]).toBe(200);
    // Refused under the row lock (403), or already signed out by the winner (401).
    expect([401, 403]).toContain(statuses[1]);
    const db = await getDb();
    const admins = await db.select({ id: users.id }).from(users).where(eq(users.role, "admin"));
    expect(admins).toHaveLength(1);
  });
});

describe("npm run user -- role", () => {
  it("sets the role from the command line, ending the user's sessions and recording it", async () => {
    const ada = await createUser("ada@example.com");
    const laptop = await loginAs(ada);
    const result = await setRoleByEmail(parseEmailAddress("ADA@example.com")!, "admin");
    expect(result).toEqual({ id: ada.id, changed: true, sessionsEnded: 1 });
    await expectSignedOut(laptop);
    const [event] = await events("role_changed", ada.id);
    expect(event!.detail).toEqual({ via: "command_line", from: "user", to: "admin", sessionsEnded: 1 });
    expect((await adminApi.list(await loginAs(ada))).status).toBe(200);

    expect(await setRoleByEmail(parseEmailAddress("ada@example.com")!, "admin")).toMatchObject({ changed: false, sessionsEnded: 0 });
    expect(await setRoleByEmail(parseEmailAddress("nobody@example.com")!, "admin")).toBeNull();
  });

  it("create on an existing address changes only the role, and that too ends its sessions", async () => {
    const ada = await createUser("ada@example.com");
    const laptop = await loginAs(ada);
    const result = await upsertVerifiedUser({ email: parseEmailAddress("ada@example.com")!, password: "another passphrase entirely", name: "Someone Else", role: "admin" });
    expect(result).toEqual({ id: ada.id, created: false });
    await expectSignedOut(laptop);
    // The password and name were not touched.
    const signedIn = await loginAs(ada);
    const { user } = await (await signedIn.call(h(me), { path: "/api/me" })).json();
    expect(user).toMatchObject({ name: "Ada Lovelace", role: "admin" });
  });
});
