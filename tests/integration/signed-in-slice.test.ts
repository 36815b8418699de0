import { describe, expect, it } from "vitest";
import { POST as signup } from "@/app/api/auth/signup/route";
import { POST as verifyEmail } from "@/app/api/auth/verify-email/route";
import { refresh } from "../support/node-route";
import { POST as logout } from "@/app/api/auth/logout/route";
import { GET as me } from "@/app/api/me/route";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { TestClient, type RouteHandler } from "../support/client";
import { PASSWORD, readEmail, tokenFromLink } from "../support/fixtures";

const h = (handler: unknown) => handler as RouteHandler;

describe("sign up, verify, stay signed in, sign out", () => {
  it("walks the whole slice through the route handlers", async () => {
    const browser = new TestClient();
    const signedUp = await browser.call(h(signup), {
      path: "/api/auth/signup",
      json: { name: "Ada", email: "ada@example.com", password: PASSWORD },
    });
    expect(signedUp.status).toBe(202);
    expect(await signedUp.json()).toEqual({ status: "verification_sent" });

    const email = await readEmail("ada@example.com");
    const token = tokenFromLink(email!.textBody, "/verify-email");
    const verified = await browser.call(h(verifyEmail), { path: "/api/auth/verify-email", json: { token } });
    expect(verified.status).toBe(200);
    const { user } = await verified.json();
    expect(user).toEqual({ id: expect.any(String), email: "ada@example.com", name: "Ada", role: "user", emailVerified: true });

    const names = cookieNames();
    expect(browser.cookie(names.access)).toBeTruthy();
    expect(browser.cookie(names.refresh)).toBeTruthy();

    const meResponse = await browser.call(h(me), { path: "/api/me" });
    expect(meResponse.status).toBe(200);
    expect((await meResponse.json()).user.id).toBe(user.id);

    const oldRefresh = browser.cookie(names.refresh);
    const refreshed = await browser.call(h(refresh), { path: "/api/auth/refresh", body: "" });
    expect(refreshed.status).toBe(200);
    expect(browser.cookie(names.refresh)).not.toBe(oldRefresh);

    const out = await browser.call(h(logout), { path: "/api/auth/logout", body: "" });
    expect(out.status).toBe(204);
    expect(browser.cookies.size).toBe(0);
    expect((await browser.call(h(me), { path: "/api/me" })).status).toBe(401);
  });
});
