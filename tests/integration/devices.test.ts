import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as listSessions } from "@/app/api/auth/sessions/route";
import { DELETE as deleteSession } from "@/app/api/auth/sessions/[id]/route";
import { POST as logoutAll } from "@/app/api/auth/logout-all/route";
import { refresh } from "../support/node-route";
import { GET as me } from "@/app/api/me/route";
import { getDb } from "@/db/client";
import { securityEvents, sessions } from "@/db/schema";
import { deviceCookieName } from "@/lib/auth/edge/cookies";
import type { RouteHandler } from "../support/client";
import { createUser, loginAs } from "../support/fixtures";

const h = (handler: unknown) => handler as RouteHandler;

describe("devices", () => {
  it("lists the caller's live sessions and marks the current one", async () => {
    const user = await createUser();
    const laptop = await loginAs(user);
    await loginAs(user);
    const response = await laptop.call(h(listSessions), { path: "/api/auth/sessions", headers: { "user-agent": "Laptop" } });
    expect(response.status).toBe(200);
    const { sessions: list } = await response.json();
    expect(list).toHaveLength(2);
    expect(list.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    for (const session of list) {
      expect(Object.keys(session).sort()).toEqual(["createdAt", "current", "id", "ip", "lastUsedAt", "userAgent"]);
    }
  });

  it("signs one device out: its refresh and its access token stop working, the other device stays", async () => {
    const user = await createUser();
    const laptop = await loginAs(user);
    const phone = await loginAs(user);
    const { sessions: list } = await (await phone.call(h(listSessions), { path: "/api/auth/sessions" })).json();
    const laptopSession = list.find((s: { current: boolean }) => !s.current);

    const revoked = await phone.call(h(deleteSession), {
      method: "DELETE",
      path: `/api/auth/sessions/${laptopSession.id}`,
      params: { id: laptopSession.id },
    });
    expect(revoked.status).toBe(204);
    expect((await laptop.call(h(me), { path: "/api/me" })).status).toBe(401);
    expect((await laptop.call(h(refresh), { path: "/api/auth/refresh", body: "" })).status).toBe(401);
    expect((await phone.call(h(me), { path: "/api/me" })).status).toBe(200);

    const db = await getDb();
    const events = await db.select().from(securityEvents).where(eq(securityEvents.type, "session_revoked"));
    expect(events).toHaveLength(1);
    expect(events[0]!.sessionId).toBe(laptopSession.id);
  });

  it("answers 404 for another user's session, and leaves it alone", async () => {
    const mallory = await loginAs(await createUser("mallory@example.com"));
    const ada = await loginAs(await createUser("ada@example.com"));
    const { sessions: adaSessions } = await (await ada.call(h(listSessions), { path: "/api/auth/sessions" })).json();
    const target = adaSessions[0].id;

    const response = await mallory.call(h(deleteSession), { method: "DELETE", path: `/api/auth/sessions/${target}`, params: { id: target } });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("not_found");
    const db = await getDb();
    const [row] = await db.select({ revokedAt: sessions.revokedAt }).from(sessions).where(eq(sessions.id, target));
    expect(row!.revokedAt).toBeNull();
  });

  it("answers 404 for a malformed session id", async () => {
    const client = await loginAs(await createUser());
    const response = await client.call(h(deleteSession), { method: "DELETE", path: "/api/auth/sessions/x'; drop table users", params: { id: "x'; drop table users" } });
    expect(response.status).toBe(404);
  });

  it("signs out everywhere: every session of the user ends and this device's cookies are cleared", async () => {
    const user = await createUser();
    const laptop = await loginAs(user);
    const phone = await loginAs(user);
    const other = await loginAs(await createUser("grace@example.com"));

    const response = await laptop.call(h(logoutAll), { path: "/api/auth/logout-all", body: "" });
    expect(response.status).toBe(204);
    expect([...laptop.cookies.keys()]).toEqual([deviceCookieName()]);
    expect((await phone.call(h(me), { path: "/api/me" })).status).toBe(401);
    expect((await phone.call(h(refresh), { path: "/api/auth/refresh", body: "" })).status).toBe(401);
    expect((await other.call(h(me), { path: "/api/me" })).status).toBe(200);
  });

  it("refuses a cross-site sign-out-everywhere", async () => {
    const user = await createUser();
    const laptop = await loginAs(user);
    const response = await laptop.call(h(logoutAll), { path: "/api/auth/logout-all", body: "", headers: { "sec-fetch-site": "cross-site" } });
    expect(response.status).toBe(403);
    expect((await laptop.call(h(me), { path: "/api/me" })).status).toBe(200);
  });

  it("requires a signed-in caller", async () => {
    const { TestClient } = await import("../support/client");
    const anonymous = new TestClient();
    expect((await anonymous.call(h(listSessions), { path: "/api/auth/sessions" })).status).toBe(401);
    expect((await anonymous.call(h(logoutAll), { path: "/api/auth/logout-all", body: "" })).status).toBe(401);
  });
});
