import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/me/route";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { TestClient, type RouteHandler } from "../support/client";
import { adminApi } from "../support/admin-api";
import { createUser, loginAs } from "../support/fixtures";
import { CROSS_SITE, expectJsonError } from "../support/http";

// Who may use /api/admin: an admin by the database, for a live session. The
// role claim in the access JWT is never enough on its own.

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

async function adminAndUser() {
  const admin = await createUser("root@example.com", { role: "admin", name: "Root Admin" });
  const user = await createUser("ada@example.com");
  return { admin, adminClient: await loginAs(admin), user, userClient: await loginAs(user) };
}

/** Every admin route, each pointed at `id`, called one after the other. */
async function* everyRoute(client: TestClient, id: string): AsyncGenerator<[string, Response]> {
  yield ["list", await adminApi.list(client)];
  yield ["get", await adminApi.get(client, id)];
  yield ["end sessions", await adminApi.endSessions(client, id)];
  yield ["disable", await adminApi.disable(client, id)];
  yield ["enable", await adminApi.enable(client, id)];
  yield ["set role", await adminApi.setRole(client, id, { role: "admin" })];
}

async function expectError(name: string, response: Response, status: number, code: string): Promise<Record<string, string>> {
  expect(response.status, name).toBe(status);
  const body = await response.json();
  expect(body.error.code, name).toBe(code);
  return body.error.fields ?? {};
}

describe("admin API authorisation", () => {
  it("answers 401 unauthenticated to an anonymous caller on every route", async () => {
    const { user } = await adminAndUser();
    for await (const [name, response] of everyRoute(new TestClient(), user.id)) await expectError(name, response, 401, "unauthenticated");
  });

  it("answers 403 forbidden to a signed-in user on every route, and changes nothing", async () => {
    const { admin, userClient } = await adminAndUser();
    for await (const [name, response] of everyRoute(userClient, admin.id)) await expectError(name, response, 403, "forbidden");
    const db = await getDb();
    const [row] = await db.select({ role: users.role, disabledAt: users.disabledAt }).from(users).where(eq(users.id, admin.id));
    expect(row).toEqual({ role: "admin", disabledAt: null });
  });

  it("answers 200 to an admin, with a bearer token as well as the cookie", async () => {
    const { adminClient } = await adminAndUser();
    expect((await adminApi.list(adminClient)).status).toBe(200);
    const bearer = adminClient.cookie(cookieNames().access)!;
    const native = new TestClient();
    expect((await adminApi.list(native, "", { headers: { authorization: `Bearer ${bearer}` } })).status).toBe(200);
  });

  it("refuses an admin demoted in the database at once, although the access JWT still says admin", async () => {
    const { admin, adminClient } = await adminAndUser();
    expect(decodeJwt(adminClient.cookie(cookieNames().access)!).role).toBe("admin");
    const db = await getDb();
    // Straight in the database, sessions untouched: only the role check stands in the way.
    await db.update(users).set({ role: "user" }).where(eq(users.id, admin.id));
    await expectJsonError(await adminApi.list(adminClient), 403, "forbidden");
  });

  it("refuses a disabled admin: the session is no longer live", async () => {
    const { admin, adminClient } = await adminAndUser();
    const db = await getDb();
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, admin.id));
    await expectJsonError(await adminApi.list(adminClient), 401, "invalid_session");
  });

  it("refuses every state change from another site before anything else, and changes nothing", async () => {
    const { adminClient, user } = await adminAndUser();
    const userClient = await loginAs(user);
    for (const headers of Object.values(CROSS_SITE)) {
      const changes = [
        adminApi.endSessions(adminClient, user.id, { headers }),
        adminApi.disable(adminClient, user.id, { headers }),
        adminApi.enable(adminClient, user.id, { headers }),
        adminApi.setRole(adminClient, user.id, { role: "admin" }, { headers }),
      ];
      for (const response of await Promise.all(changes)) await expectJsonError(response, 403, "cross_site_request");
    }
    const db = await getDb();
    const [row] = await db.select({ role: users.role, disabledAt: users.disabledAt }).from(users).where(eq(users.id, user.id));
    expect(row).toEqual({ role: "user", disabledAt: null });
    expect((await userClient.call(me as RouteHandler, { path: "/api/me" })).status).toBe(200);
  });

  it("accepts a same-origin browser request", async () => {
    const { adminClient, user } = await adminAndUser();
    const sameOrigin = { "sec-fetch-site": "same-origin", origin: "http://localhost:3000" };
    expect((await adminApi.disable(adminClient, user.id, { headers: sameOrigin })).status).toBe(200);
  });
});

describe("admin API input", () => {
  it("answers 400 to a malformed user id on every route, 404 to an unknown one", async () => {
    const { adminClient } = await adminAndUser();
    for await (const [name, response] of everyRoute(adminClient, "not-a-uuid' or 1=1 --")) {
      if (name === "list") continue;
      expect((await expectError(name, response, 400, "invalid_request")).id, name).toBe("That is not a user id.");
    }
    for await (const [name, response] of everyRoute(adminClient, UNKNOWN_ID)) {
      if (name !== "list") await expectError(name, response, 404, "not_found");
    }
  });

  it("answers 400 to a role that does not exist, and 415 to a body that is not JSON", async () => {
    const { adminClient, user } = await adminAndUser();
    for (const json of [{ role: "superuser" }, { role: "ADMIN" }, {}, { role: ["admin"] }, "admin"]) {
      const body = await expectJsonError(await adminApi.setRole(adminClient, user.id, json), 400, "invalid_request");
      expect(Object.keys(body.error.fields ?? {}).length).toBeGreaterThan(0);
    }
    await expectJsonError(await adminApi.setRole(adminClient, user.id, null, { body: "role=admin", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415, "unsupported_media_type");
    await expectJsonError(await adminApi.setRole(adminClient, user.id, null, { body: "{", headers: { "content-type": "application/json" } }), 400, "invalid_json");
  });

  it("answers 400 to a page size over the cap, or one that is not a whole number, to a forged cursor and to control characters in a search", async () => {
    const { adminClient } = await adminAndUser();
    for (const limit of ["101", "1000000", "0", "-5", "2.5", "ten", "1e9", ""]) {
      const body = await expectJsonError(await adminApi.list(adminClient, `?limit=${encodeURIComponent(limit)}`), 400, "invalid_request");
      expect(body.error.fields?.limit, limit).toBe("Use a whole number from 1 to 100.");
    }
    expect((await adminApi.list(adminClient, "?limit=100")).status).toBe(200);
    // Year 0000 is valid ISO 8601 that PostgreSQL refuses: it was a 500.
    const yearZero = Buffer.from(JSON.stringify({ d: "a", t: "0000-01-01T00:00:00.000Z", i: UNKNOWN_ID })).toString("base64url");
    for (const cursor of ["garbage", Buffer.from('{"d":"a","t":"x","i":"y"}').toString("base64url"), "a".repeat(500), yearZero]) {
      const body = await expectJsonError(await adminApi.list(adminClient, `?cursor=${cursor}`), 400, "invalid_request");
      expect(body.error.fields?.cursor).toBeTruthy();
    }
    await expectJsonError(await adminApi.list(adminClient, `?query=${"x".repeat(201)}`), 400, "invalid_request");
    // PostgreSQL refuses a NUL in text: it was a 500.
    for (const query of ["%00", "a%00b", "%07"]) {
      const body = await expectJsonError(await adminApi.list(adminClient, `?query=${query}`), 400, "invalid_request");
      expect(body.error.fields?.query, query).toBe("Remove control characters from the search.");
    }
  });
});
