import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { POST as logout } from "@/app/api/auth/logout/route";
import { refresh } from "../support/node-route";
import { GET as session } from "@/app/api/auth/session/route";
import { getDb } from "@/db/client";
import { securityEvents, sessions } from "@/db/schema";
import { cookieNames, deviceCookieName } from "@/lib/auth/edge/cookies";
import { TestClient, type RouteHandler } from "../support/client";
import { createUser, loginAs } from "../support/fixtures";
import { CROSS_SITE, expectJsonError, expectSessionCookiesCleared } from "../support/http";
import { countRows } from "../support/rows";

const h = (handler: unknown) => handler as RouteHandler;
const PATH = "/api/auth/logout";

async function signedIn() {
  const user = await createUser("ada@example.com");
  const browser = await loginAs(user);
  const names = cookieNames();
  const copied = { access: browser.cookie(names.access)!, refresh: browser.cookie(names.refresh)! };
  return { user, browser, names, copied, sessionId: decodeJwt(copied.access).sid as string };
}

async function revokedAt(sessionId: string): Promise<Date | null> {
  const db = await getDb();
  const [row] = await db.select({ at: sessions.revokedAt }).from(sessions).where(eq(sessions.id, sessionId));
  return row?.at ?? null;
}

describe("POST /api/auth/logout", () => {
  it("answers 204, clears both cookies and revokes the session server-side", async () => {
    const { user, browser, names, copied, sessionId } = await signedIn();
    const response = await browser.call(h(logout), { path: PATH, body: "" });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expectSessionCookiesCleared(response);
    // Only the device cookie stays: it grants nothing, and keeps this browser out of strangers' lockouts (decision 0017).
    expect([...browser.cookies.keys()]).toEqual([deviceCookieName()]);
    expect(await revokedAt(sessionId)).toBeInstanceOf(Date);
    expect(await countRows(securityEvents, eq(securityEvents.userId, user.id))).toBeGreaterThan(0);

    // An attacker who copied the cookies before sign-out gets nothing from them.
    const attacker = new TestClient();
    const replay = await attacker.call(h(refresh), { path: "/api/auth/refresh", body: "", headers: { cookie: `${names.refresh}=${copied.refresh}` } });
    await expectJsonError(replay, 401, "invalid_session");
    const copiedAccess = await attacker.call(h(session), { path: "/api/auth/session", headers: { cookie: `${names.access}=${copied.access}` } });
    expect(copiedAccess.status).toBe(401);
  });

  it("revokes the session from the access cookie alone when the refresh cookie is gone", async () => {
    const { browser, names, sessionId } = await signedIn();
    browser.cookies.delete(names.refresh);
    expect((await browser.call(h(logout), { path: PATH, body: "" })).status).toBe(204);
    expect(await revokedAt(sessionId)).toBeInstanceOf(Date);
  });

  it("answers 204 again when already signed out, and with no cookies at all", async () => {
    const { browser, copied, names } = await signedIn();
    expect((await browser.call(h(logout), { path: PATH, body: "" })).status).toBe(204);
    const again = await new TestClient().call(h(logout), {
      path: PATH,
      body: "",
      headers: { cookie: `${names.access}=${copied.access}; ${names.refresh}=${copied.refresh}` },
    });
    expect(again.status).toBe(204);
    expectSessionCookiesCleared(again);
    const bare = await new TestClient().call(h(logout), { path: PATH, body: "" });
    expect(bare.status).toBe(204);
    expectSessionCookiesCleared(bare);
    expect(await countRows(securityEvents, eq(securityEvents.type, "sign_out"))).toBe(1);
  });

  it("only ends the caller's session, not the user's other devices", async () => {
    const { user, browser } = await signedIn();
    const laptop = await loginAs(user);
    expect((await browser.call(h(logout), { path: PATH, body: "" })).status).toBe(204);
    expect((await laptop.call(h(refresh), { path: "/api/auth/refresh", body: "" })).status).toBe(200);
  });

  it.each([
    ["Sec-Fetch-Site: cross-site", CROSS_SITE.fetchMetadata],
    ["a foreign Origin", CROSS_SITE.foreignOrigin],
    ["Origin: null", CROSS_SITE.nullOrigin],
  ])("refuses a cross-site logout with %s and keeps the session", async (_name, headers) => {
    const { browser, sessionId } = await signedIn();
    const response = await browser.call(h(logout), { path: PATH, body: "", headers });
    await expectJsonError(response, 403, "cross_site_request");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await revokedAt(sessionId)).toBeNull();
  });
});
