import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { POST as forgotPassword } from "@/app/api/auth/forgot-password/route";
import { POST as resetPassword } from "@/app/api/auth/reset-password/route";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as me } from "@/app/api/me/route";
import { getDb } from "@/db/client";
import { emailOutbox, securityEvents } from "@/db/schema";
import { TestClient, type RouteHandler } from "../support/client";
import { createUser, loginAs, PASSWORD, readEmail, tokenFromLink } from "../support/fixtures";

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

async function reset(token: string, password = NEW_PASSWORD): Promise<Response> {
  return new TestClient().call(h(resetPassword), { path: "/api/auth/reset-password", json: { token, password } });
}

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
