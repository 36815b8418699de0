import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { POST as changePassword } from "@/app/api/auth/change-password/route";
import { POST as forgotPassword } from "@/app/api/auth/forgot-password/route";
import { POST as resetPassword } from "@/app/api/auth/reset-password/route";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as me } from "@/app/api/me/route";
import { getDb } from "@/db/client";
import { emailOutbox, securityEvents } from "@/db/schema";
import { IP_LIMITS } from "@/lib/auth/limits/ip-limits";
import { bcryptWorkers } from "@/lib/auth/passwords/password-pool";
import { PEER_IP_HEADER } from "@/lib/http/client-meta";
import { TestClient, type RouteHandler } from "../support/client";
import { advanceClock } from "../support/clock";
import { createUser, loginAs, PASSWORD, readEmail, tokenFromLink } from "../support/fixtures";
import { expectJsonError } from "../support/http";

const h = (handler: unknown) => handler as RouteHandler;
const NEW_PASSWORD = "a brand new passphrase for ada";

afterEach(() => {
  vi.useRealTimers();
});

async function askForReset(email: string, headers: Record<string, string> = {}): Promise<Response> {
  return new TestClient().call(h(forgotPassword), { path: "/api/auth/forgot-password", json: { email }, headers });
}

async function resetLinkToken(email: string): Promise<string> {
  const message = await readEmail(email);
  expect(message?.kind).toBe("reset_password");
  return tokenFromLink(message!.textBody, "/reset-password");
}

async function reset(token: string, password = NEW_PASSWORD, headers: Record<string, string> = {}): Promise<Response> {
  return new TestClient().call(h(resetPassword), { path: "/api/auth/reset-password", json: { token, password }, headers });
}

const madeUpToken = () => randomBytes(32).toString("base64url");

describe("forgot password", () => {
  it("answers the same for a known and an unknown email; only the owner gets a link", async () => {
    await createUser("ada@example.com");
    const known = await askForReset("ada@example.com");
    const unknown = await askForReset("nobody@example.com");
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(known.status);
    expect(await unknown.json()).toEqual(await known.json());
    expect(unknown.headers.getSetCookie()).toEqual(known.headers.getSetCookie());
    expect(await readEmail("ada@example.com")).not.toBeNull();
    expect(await readEmail("nobody@example.com")).toBeNull();
  });

  it("builds the link from APP_URL, whatever Host or X-Forwarded-Host say", async () => {
    await createUser("ada@example.com");
    await askForReset("ada@example.com", { host: "evil.example", "x-forwarded-host": "evil.example" });
    const message = await readEmail("ada@example.com");
    expect(message!.textBody).toContain("http://localhost:3000/reset-password?token=");
    expect(message!.textBody + message!.htmlBody).not.toContain("evil.example");
  });
});

describe("reset password", () => {
  it("sets the new password, ends every session, emails a notice, and does not sign in", async () => {
    const user = await createUser("ada@example.com");
    const laptop = await loginAs(user);
    await askForReset(user.email);
    const response = await reset(await resetLinkToken(user.email));
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect((await laptop.call(h(me), { path: "/api/me" })).status).toBe(401);

    const client = new TestClient();
    expect((await client.call(h(login), { path: "/api/auth/login", json: { email: user.email, password: PASSWORD } })).status).toBe(401);
    expect((await client.call(h(login), { path: "/api/auth/login", json: { email: user.email, password: NEW_PASSWORD } })).status).toBe(200);

    const db = await getDb();
    const notices = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, user.email), eq(emailOutbox.kind, "password_changed")));
    expect(notices).toHaveLength(1);
    expect(await db.select().from(securityEvents).where(eq(securityEvents.type, "password_reset"))).toHaveLength(1);
  });

  it("refuses a used link", async () => {
    const user = await createUser("ada@example.com");
    await askForReset(user.email);
    const token = await resetLinkToken(user.email);
    expect((await reset(token)).status).toBe(200);
    const again = await reset(token, "yet another passphrase here");
    expect(again.status).toBe(400);
    expect((await again.json()).error.code).toBe("invalid_token");
  });

  it("refuses a link older than 30 minutes", async () => {
    const user = await createUser("ada@example.com");
    await askForReset(user.email);
    const token = await resetLinkToken(user.email);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 31 * 60 * 1000 });
    const response = await reset(token);
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("invalid_token");
  });

  it("voids the older link when a newer one is sent", async () => {
    const user = await createUser("ada@example.com");
    await askForReset(user.email);
    const older = await resetLinkToken(user.email);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await askForReset(user.email);
    const newer = await resetLinkToken(user.email);
    expect(newer).not.toBe(older);
    expect((await reset(older)).status).toBe(400);
    expect((await reset(newer)).status).toBe(200);
  });

  it("lets exactly one of two concurrent uses win", async () => {
    const user = await createUser("ada@example.com");
    await askForReset(user.email);
    const token = await resetLinkToken(user.email);
    const results = await Promise.all([reset(token, "first concurrent passphrase"), reset(token, "second concurrent passphrase")]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it("applies the password policy", async () => {
    const user = await createUser("ada@example.com");
    await askForReset(user.email);
    const response = await reset(await resetLinkToken(user.email), "short");
    expect(response.status).toBe(400);
    expect((await response.json()).error.fields.password).toMatch(/at least 12/);
  });
});

describe("reset password under attack", () => {
  // Regression: a reset hashed the new password before looking the link up, so made-up links tied up the hashing threads.
  it("spends no bcrypt work on made-up or spent links; a real one still resets", async () => {
    const user = await createUser("ada@example.com");
    await askForReset(user.email);
    const spent = await resetLinkToken(user.email);
    expect((await reset(spent)).status).toBe(200);
    await askForReset(user.email);
    const live = await resetLinkToken(user.email);

    const bcrypt = vi.spyOn(bcryptWorkers().pool, "run");
    const guesses = await Promise.all([...Array.from({ length: 10 }, madeUpToken), spent].map((token) => reset(token, "a guess at a new password")));
    for (const answer of guesses) await expectJsonError(answer, 400, "invalid_token");
    // A policy failure on a live link is refused before hashing too, and leaves the link usable.
    const weak = await reset(live, "ada@example.com");
    await expectJsonError(weak, 400, "invalid_request");
    expect(bcrypt).not.toHaveBeenCalled();

    expect((await reset(live)).status).toBe(200);
    expect(bcrypt).toHaveBeenCalledTimes(1);
  });

  it(`allows ${IP_LIMITS.resetPassword.limit} attempts an hour from one address, even all at once, then 429 with Retry-After; another address is unaffected`, async () => {
    advanceClock(0);
    const user = await createUser("ada@example.com");
    await askForReset(user.email);
    const token = await resetLinkToken(user.email);
    const attacker = { [PEER_IP_HEADER]: "203.0.113.9" };
    const { limit, windowSeconds } = IP_LIMITS.resetPassword;

    const burst = await Promise.all(Array.from({ length: limit + 5 }, () => reset(madeUpToken(), NEW_PASSWORD, attacker)));
    expect(burst.filter((answer) => answer.status === 400)).toHaveLength(limit);
    const limited = burst.filter((answer) => answer.status === 429);
    expect(limited).toHaveLength(5);
    for (const answer of limited) {
      expect(answer.headers.get("retry-after")).toBe(String(windowSeconds));
      await expectJsonError(answer, 429, "rate_limited");
    }
    // Past the limit even a real link is refused from that address; from another one it works.
    await expectJsonError(await reset(token, NEW_PASSWORD, attacker), 429, "rate_limited");
    expect((await reset(token, NEW_PASSWORD, { [PEER_IP_HEADER]: "198.51.100.7" })).status).toBe(200);

    advanceClock(windowSeconds);
    await expectJsonError(await reset(madeUpToken(), NEW_PASSWORD, attacker), 400, "invalid_token");
  });
});

describe("reset links after a password change", () => {
  // Regression: changing the password left a reset link sent earlier usable, so it could undo the change.
  it("refuses a link sent before the change; one sent after it works", async () => {
    const user = await createUser("ada@example.com");
    await askForReset(user.email);
    const before = await resetLinkToken(user.email);
    const laptop = await loginAs(user);
    const changed = await laptop.call(h(changePassword), {
      path: "/api/auth/change-password",
      json: { currentPassword: PASSWORD, newPassword: "the password ada chose herself" },
    });
    expect(changed.status).toBe(200);

    await expectJsonError(await reset(before), 400, "invalid_token");
    await askForReset(user.email);
    expect((await reset(await resetLinkToken(user.email))).status).toBe(200);
  });
});
