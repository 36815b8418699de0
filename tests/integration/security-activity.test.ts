import { describe, expect, it } from "vitest";
import { POST as changePassword } from "@/app/api/auth/change-password/route";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as logoutAll } from "@/app/api/auth/logout-all/route";
import { getDb } from "@/db/client";
import { securityEvents } from "@/db/schema";
import { listAccountActivity } from "@/lib/auth/events/security-activity";
import { PEER_IP_HEADER } from "@/lib/http/client-meta";
import { adminApi } from "../support/admin-api";
import { TestClient, type RouteHandler } from "../support/client";
import { createUser, loginAs, PASSWORD } from "../support/fixtures";
import { advanceClock } from "../support/clock";

// The account owner's security activity (the /account page's list): what they
// are shown, in what words, newest first, and what they are not shown.

const h = (handler: unknown) => handler as RouteHandler;
const MAC_CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const IPHONE_SAFARI =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

async function signIn(email: string, userAgent: string, ip: string, password = PASSWORD): Promise<{ client: TestClient; status: number }> {
  const client = new TestClient();
  const response = await client.call(h(login), {
    path: "/api/auth/login",
    json: { email, password },
    headers: { "user-agent": userAgent, [PEER_IP_HEADER]: ip },
  });
  return { client, status: response.status };
}

/** Each step a second later than the last, so "newest first" is unambiguous. */
function tick(): void {
  advanceClock(1);
}

describe("listAccountActivity", () => {
  it("tells the owner what happened, newest first, with time, device and IP", async () => {
    const ada = await createUser("ada@example.com");
    const { client: laptop } = await signIn(ada.email, MAC_CHROME, "203.0.113.5");
    tick();
    await signIn(ada.email, IPHONE_SAFARI, "198.51.100.7");
    tick();
    const changed = await laptop.call(h(changePassword), {
      path: "/api/auth/change-password",
      json: { currentPassword: PASSWORD, newPassword: "a brand new passphrase to remember" },
      headers: { "user-agent": MAC_CHROME, [PEER_IP_HEADER]: "203.0.113.5" },
    });
    expect(changed.status).toBe(200);
    tick();
    await laptop.call(h(logoutAll), { path: "/api/auth/logout-all", body: "", headers: { "user-agent": MAC_CHROME, [PEER_IP_HEADER]: "203.0.113.5" } });

    const activity = await listAccountActivity(ada.id);
    expect(activity.map((event) => event.description)).toEqual([
      "Signed out everywhere",
      // The password change's own "other devices signed out" is not repeated.
      "Password changed",
      "Signed in from a new device",
      "Signed in",
    ]);
    expect(activity[2]).toMatchObject({ type: "sign_in", ip: "198.51.100.7", userAgent: IPHONE_SAFARI, actor: null });
    expect(activity[3]).toMatchObject({ ip: "203.0.113.5", userAgent: MAC_CHROME });
    const times = activity.map((event) => Date.parse(event.createdAt));
    expect(times).toEqual(times.toSorted((a, b) => b - a));
  });

  it("leaves out failed sign-ins (anyone can make them) but says when guessing was stopped", async () => {
    const ada = await createUser("ada@example.com");
    for (let attempt = 0; attempt < 10; attempt++) {
      expect((await signIn(ada.email, MAC_CHROME, "192.0.2.1", "not the password at all")).status).toBe(401);
    }
    const activity = await listAccountActivity(ada.id);
    expect(activity.map((event) => event.type)).toEqual(["sign_in_throttled"]);
    expect(activity[0]!.description).toBe("Sign-in paused after repeated wrong passwords");
  });

  it("reports what an administrator did without the administrator's address, device or name", async () => {
    const admin = await loginAs(await createUser("root@example.com", { role: "admin" }));
    const ada = await createUser("ada@example.com");
    const adminHeaders = { "user-agent": MAC_CHROME, [PEER_IP_HEADER]: "10.0.0.1", "sec-fetch-site": "same-origin" };
    await adminApi.disable(admin, ada.id, { headers: adminHeaders });
    tick();
    await adminApi.enable(admin, ada.id, { headers: adminHeaders });
    tick();
    await adminApi.setRole(admin, ada.id, { role: "admin" }, { headers: adminHeaders });

    const activity = await listAccountActivity(ada.id);
    expect(activity.map((event) => event.description)).toEqual([
      "An administrator changed the role to admin",
      "An administrator enabled the account",
      "An administrator disabled the account",
    ]);
    for (const event of activity) expect(event).toMatchObject({ ip: null, userAgent: null, actor: null });

    // The admin's own view names who did it, and from where.
    const { events } = await (await adminApi.get(admin, ada.id)).json();
    expect(events[0]).toMatchObject({ type: "role_changed", ip: "10.0.0.1", actor: { email: "root@example.com" } });
  });

  it("shows only the owner's events, at most twenty", async () => {
    const ada = await createUser("ada@example.com");
    const grace = await createUser("grace@example.com");
    await loginAs(grace);
    const db = await getDb();
    const start = Date.now();
    await db.insert(securityEvents).values(
      Array.from({ length: 25 }, (_, index) => ({
        id: crypto.randomUUID(),
        type: "sign_in",
        userId: ada.id,
        ip: `192.0.2.${index}`,
        createdAt: new Date(start - index * 60_000),
      })),
    );
    const activity = await listAccountActivity(ada.id);
    expect(activity).toHaveLength(20);
    expect(activity[0]!.ip).toBe("192.0.2.0");
    expect(activity.at(-1)!.ip).toBe("192.0.2.19");
  });
});
