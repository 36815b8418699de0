import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as changePassword } from "@/app/api/auth/change-password/route";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as me } from "@/app/api/me/route";
import { getDb } from "@/db/client";
import { emailOutbox, securityEvents } from "@/db/schema";
import { deviceCookieName } from "@/lib/auth/edge/cookies";
import { FREE_FAILURES } from "@/lib/auth/limits/login-throttle";
import { TestClient, type RouteHandler } from "../support/client";
import { advanceClock } from "../support/clock";
import { createUser, loginAs, PASSWORD } from "../support/fixtures";

const h = (handler: unknown) => handler as RouteHandler;
const NEW_PASSWORD = "a completely different passphrase";

describe("change password", () => {
  it("needs the current password, keeps this session, ends the others and emails a notice", async () => {
    const user = await createUser();
    const laptop = await loginAs(user);
    const phone = await loginAs(user);

    const response = await laptop.call(h(changePassword), {
      path: "/api/auth/change-password",
      json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(response.status).toBe(200);
    expect((await laptop.call(h(me), { path: "/api/me" })).status).toBe(200);
    expect((await phone.call(h(me), { path: "/api/me" })).status).toBe(401);

    const fresh = new TestClient();
    const oldLogin = await fresh.call(h(login), { path: "/api/auth/login", json: { email: user.email, password: PASSWORD } });
    expect(oldLogin.status).toBe(401);
    const newLogin = await fresh.call(h(login), { path: "/api/auth/login", json: { email: user.email, password: NEW_PASSWORD } });
    expect(newLogin.status).toBe(200);

    const db = await getDb();
    const notices = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, user.email), eq(emailOutbox.kind, "password_changed")));
    expect(notices).toHaveLength(1);
    const events = await db.select().from(securityEvents).where(eq(securityEvents.type, "password_changed"));
    expect(events).toHaveLength(1);
  });

  it("answers 400 invalid_credentials for a wrong current password and changes nothing", async () => {
    const user = await createUser();
    const laptop = await loginAs(user);
    const phone = await loginAs(user);
    const response = await laptop.call(h(changePassword), {
      path: "/api/auth/change-password",
      json: { currentPassword: "not my password at all", newPassword: NEW_PASSWORD },
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_credentials");
    expect(body.error.fields.currentPassword).toBeTruthy();
    expect((await phone.call(h(me), { path: "/api/me" })).status).toBe(200);
    await loginAs(user);
  });

  // Regression: a stolen session could guess the current password here without limit.
  // Each failure costs a real bcrypt compare: a dozen take a while on a busy machine.
  it("shares the account's login throttle: after the free failures even the right current password, and sign-in, get 429", { timeout: 120_000 }, async () => {
    const user = await createUser();
    const laptop = await loginAs(user);
    // A session without the account's device cookie (signed in by an email link, or a native app's
    // Bearer) counts on the account-wide streak; with it, on its own (password-throttle.test.ts).
    laptop.cookies.delete(deviceCookieName());
    const attempt = (currentPassword: string) =>
      laptop.call(h(changePassword), { path: "/api/auth/change-password", json: { currentPassword, newPassword: NEW_PASSWORD } });
    advanceClock(0);
    for (let i = 0; i < FREE_FAILURES; i++) expect((await attempt("not my password at all")).status).toBe(400);

    const refused = await attempt(PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const signIn = await new TestClient().call(h(login), { path: "/api/auth/login", json: { email: user.email, password: PASSWORD } });
    expect(signIn.status).toBe(429);

    advanceClock(Number(refused.headers.get("retry-after")));
    expect((await attempt(PASSWORD)).status).toBe(200);
  });

  it("applies the password policy to the new password", async () => {
    const laptop = await loginAs(await createUser());
    const response = await laptop.call(h(changePassword), {
      path: "/api/auth/change-password",
      json: { currentPassword: PASSWORD, newPassword: "short" },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.fields.newPassword).toMatch(/at least 12/);
  });

  it("refuses a session revoked elsewhere even though its access token still verifies", async () => {
    const user = await createUser();
    const laptop = await loginAs(user);
    const phone = await loginAs(user);
    await phone.call(h(changePassword), { path: "/api/auth/change-password", json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
    const response = await laptop.call(h(changePassword), {
      path: "/api/auth/change-password",
      json: { currentPassword: NEW_PASSWORD, newPassword: "the thief's own new password" },
    });
    expect(response.status).toBe(401);
  });
});
