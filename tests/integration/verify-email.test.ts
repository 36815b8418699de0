import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { POST as signup } from "@/app/api/auth/signup/route";
import { POST as verifyEmail } from "@/app/api/auth/verify-email/route";
import { getDb } from "@/db/client";
import { sessions, users } from "@/db/schema";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { sealRefreshToken } from "@/lib/auth/sessions/refresh-token";
import { refresh } from "../support/node-route";
import { TestClient, type RouteHandler } from "../support/client";
import { PASSWORD, readEmail, tokenFromLink } from "../support/fixtures";
import { advanceClock } from "../support/clock";
import { CROSS_SITE, expectJsonError, setCookieLine } from "../support/http";
import { countRows } from "../support/rows";

const h = (handler: unknown) => handler as RouteHandler;
const PATH = "/api/auth/verify-email";

/**
 * Signs up through the real route and returns the token from the emailed link;
 * `browser` (a fresh client unless given) keeps the signup's marker cookie, so
 * it is the browser that signed up.
 */
async function signUpAndReadToken(email = "ada@example.com", browser = new TestClient()): Promise<string> {
  const response = await browser.call(h(signup), { path: "/api/auth/signup", json: { name: "Ada", email, password: PASSWORD } });
  expect(response.status).toBe(202);
  const message = await readEmail(email);
  return tokenFromLink(message!.textBody, "/verify-email");
}

async function isVerified(email: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.emailCanonical, email));
  return row?.at != null;
}

describe("POST /api/auth/verify-email", () => {
  it("verifies the address and signs in the browser that signed up with two HttpOnly, Secure, SameSite=Lax cookies", async () => {
    const browser = new TestClient();
    const token = await signUpAndReadToken("ada@example.com", browser);
    const response = await browser.call(h(verifyEmail), { path: PATH, json: { token } });

    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      user: { id: expect.any(String), email: "ada@example.com", name: "Ada", role: "user", emailVerified: true },
    });
    expect(await isVerified("ada@example.com")).toBe(true);

    const names = cookieNames();
    for (const name of [names.access, names.refresh]) {
      const line = setCookieLine(response, name);
      expect(line, name).toBeDefined();
      const attributes = line!.split(";").slice(1).map((part) => part.trim().toLowerCase());
      expect(attributes).toContain("httponly");
      expect(attributes).toContain("secure");
      expect(attributes).toContain("samesite=lax");
      expect(attributes).toContain("path=/");
      expect(attributes.some((a) => a.startsWith("domain="))).toBe(false);
      expect(Number(/max-age=(\d+)/.exec(attributes.join(";"))?.[1])).toBeGreaterThan(0);
      expect(line!.length).toBeLessThan(4096);
    }
    expect(JSON.stringify(body)).not.toContain(browser.cookie(names.access)!);
    expect(await countRows(sessions)).toBe(1);
    // The signup marker has done its job: it is cleared.
    expect(browser.cookie("doorman.signup")).toBeUndefined();
  });

  it("refuses a token that was already used", async () => {
    const browser = new TestClient();
    const token = await signUpAndReadToken("ada@example.com", browser);
    expect((await browser.call(h(verifyEmail), { path: PATH, json: { token } })).status).toBe(200);

    const again = await new TestClient().call(h(verifyEmail), { path: PATH, json: { token } });
    await expectJsonError(again, 400, "invalid_token");
    expect(again.headers.getSetCookie()).toEqual([]);
    expect(await countRows(sessions)).toBe(1);
  });

  it("refuses a token older than 24 hours", async () => {
    const token = await signUpAndReadToken();
    advanceClock(24 * 60 * 60 + 1);
    const response = await new TestClient().call(h(verifyEmail), { path: PATH, json: { token } });
    await expectJsonError(response, 400, "invalid_token");
    expect(await isVerified("ada@example.com")).toBe(false);
    expect(await countRows(sessions)).toBe(0);
  });

  it("still accepts a token just inside its 24 hours", async () => {
    const token = await signUpAndReadToken();
    advanceClock(24 * 60 * 60 - 60);
    expect((await new TestClient().call(h(verifyEmail), { path: PATH, json: { token } })).status).toBe(200);
  });

  it("lets exactly one of two concurrent uses of a token win", async () => {
    const browser = new TestClient();
    const token = await signUpAndReadToken("ada@example.com", browser);
    const responses = await Promise.all([browser, browser].map((client) => client.call(h(verifyEmail), { path: PATH, json: { token } })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(await countRows(sessions)).toBe(1);
  });

  // Regression: a link sent before an admin disabled the account signed it in (a session that could never be used).
  it("refuses a token of an account disabled since, opening no session", async () => {
    const token = await signUpAndReadToken();
    const db = await getDb();
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.emailCanonical, "ada@example.com"));
    const browser = new TestClient();
    await expectJsonError(await browser.call(h(verifyEmail), { path: PATH, json: { token } }), 400, "invalid_token");
    expect(browser.cookies.size).toBe(0);
    expect(await countRows(sessions)).toBe(0);
    expect(await isVerified("ada@example.com")).toBe(false);
  });

  it("refuses an unknown token with invalid_token", async () => {
    await signUpAndReadToken();
    const forged = Buffer.alloc(32, 7).toString("base64url");
    await expectJsonError(await new TestClient().call(h(verifyEmail), { path: PATH, json: { token: forged } }), 400, "invalid_token");
    expect(await isVerified("ada@example.com")).toBe(false);
  });

  it("refuses a cross-site post without consuming the token", async () => {
    const token = await signUpAndReadToken();
    const response = await new TestClient().call(h(verifyEmail), { path: PATH, json: { token }, headers: CROSS_SITE.foreignOrigin });
    await expectJsonError(response, 403, "cross_site_request");
    expect((await new TestClient().call(h(verifyEmail), { path: PATH, json: { token } })).status).toBe(200);
  });

  it("does not let a verification token pass as a refresh token (token kinds never cross)", async () => {
    const token = await signUpAndReadToken();
    const cookie = `${cookieNames().refresh}=${sealRefreshToken(token, 3600)}`;
    const response = await new TestClient().call(h(refresh), { path: "/api/auth/refresh", body: "", headers: { cookie } });
    await expectJsonError(response, 401, "invalid_session");
    expect(await countRows(sessions)).toBe(0);
    // And the link still works afterwards.
    expect((await new TestClient().call(h(verifyEmail), { path: PATH, json: { token } })).status).toBe(200);
  });

  it("works from our own no-referrer token page (Sec-Fetch-Site: same-origin, Origin: null)", async () => {
    const token = await signUpAndReadToken();
    const response = await new TestClient().call(h(verifyEmail), {
      path: PATH,
      json: { token },
      headers: { "sec-fetch-site": "same-origin", origin: "null" },
    });
    expect(response.status).toBe(200);
  });
});
