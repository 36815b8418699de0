import { describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as signup } from "@/app/api/auth/signup/route";
import { refresh } from "../support/node-route";
import { GET as me } from "@/app/api/me/route";
import { GET as session } from "@/app/api/auth/session/route";
import type { RouteHandler } from "../support/client";
import { createUser, loginAs, PASSWORD } from "../support/fixtures";
import { blackHole, closedPortUrl, databaseSwitch, expectUnavailable } from "../support/outage";

// Contract invariant 8: an unreachable database is "try again" (503 with
// Retry-After, within 5 s, cookies kept), never "sign in again".

const h = (handler: unknown) => handler as RouteHandler;
const onPostgres = process.env.DOORMAN_TEST_DATABASE === "postgres";

const database = databaseSwitch();

describe.runIf(onPostgres)("database unreachable", () => {
  it("refused connections: login, signup, refresh and /api/me answer 503, cookies kept; then recovery without signing in", async () => {
    const user = await createUser();
    const browser = await loginAs(user);
    const cookiesBefore = new Map(browser.cookies);

    await database.to(await closedPortUrl());
    await expectUnavailable(await browser.call(h(refresh), { path: "/api/auth/refresh", body: "" }));
    await expectUnavailable(await browser.call(h(login), { path: "/api/auth/login", json: { email: user.email, password: PASSWORD }, withoutCookies: true }));
    await expectUnavailable(
      await browser.call(h(signup), { path: "/api/auth/signup", json: { name: "New", email: "new@example.com", password: PASSWORD }, withoutCookies: true }),
    );
    await expectUnavailable(await browser.call(h(session), { path: "/api/auth/session" }));
    expect(browser.cookies).toEqual(cookiesBefore);

    await database.back();
    expect((await browser.call(h(refresh), { path: "/api/auth/refresh", body: "" })).status).toBe(200);
    expect((await browser.call(h(me), { path: "/api/me" })).status).toBe(200);
  });

  it("hanging connections: refresh answers 503 within 5 seconds", async () => {
    const browser = await loginAs(await createUser());
    const hole = await blackHole();
    try {
      await database.to(hole.url);
      const started = Date.now();
      const response = await browser.call(h(refresh), { path: "/api/auth/refresh", body: "" });
      expect(Date.now() - started).toBeLessThan(5000);
      await expectUnavailable(response);
    } finally {
      hole.close();
    }
  });
});
