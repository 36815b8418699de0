import { describe, expect, it } from "vitest";
import { eq, isNull } from "drizzle-orm";
import { POST as signup } from "@/app/api/auth/signup/route";
import { getDb } from "@/db/client";
import { emailOutbox, oneTimeTokens, users } from "@/db/schema";
import { TestClient, type RouteHandler } from "../support/client";
import { PASSWORD, createUser, readEmail } from "../support/fixtures";
import { CROSS_SITE, expectJsonError } from "../support/http";
import { countRows } from "../support/rows";

const h = (handler: unknown) => handler as RouteHandler;
const PATH = "/api/auth/signup";
const valid = { name: "Ada Lovelace", email: "ada@example.com", password: PASSWORD };

function post(options: { json?: unknown; body?: string; headers?: Record<string, string> }) {
  return new TestClient().call(h(signup), { path: PATH, method: "POST", ...options });
}

/**
 * Everything a caller can observe about an answer. A cookie's value (random to
 * an outsider) counts by its length, and its Expires by its Max-Age.
 */
async function observable(response: Response) {
  const headers = [...response.headers].filter(([name]) => !["date", "set-cookie", "x-middleware-set-cookie"].includes(name));
  const cookies = response.headers
    .getSetCookie()
    .map((line) => line.replace(/^([^=]+)=([^;]*)/, (_all, name: string, value: string) => `${name}=<${value.length}>`).replace(/; Expires=[^;]*/, ""));
  return { status: response.status, headers, cookies, body: await response.text() };
}

describe("POST /api/auth/signup", () => {
  it("creates an unverified account and emails a verification link", async () => {
    const response = await post({ json: valid });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: "verification_sent" });
    // Only the signup marker (docs/decisions/0019): it grants nothing by itself, and no session starts.
    const [marker, ...others] = response.headers.getSetCookie();
    expect(others).toEqual([]);
    expect(marker).toMatch(/^doorman\.signup=[\w-]{43}; /);
    const attributes = marker!.split(";").slice(1).map((part) => part.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["httponly", "secure", "samesite=lax", "path=/", `max-age=${24 * 60 * 60}`]));

    const db = await getDb();
    const [user] = await db.select().from(users).where(eq(users.emailCanonical, "ada@example.com"));
    expect(user).toMatchObject({ email: "ada@example.com", name: "Ada Lovelace", role: "user", emailVerifiedAt: null });
    expect(user!.passwordHash).not.toContain(PASSWORD);
    expect(await countRows(oneTimeTokens, eq(oneTimeTokens.userId, user!.id))).toBe(1);
    const email = await readEmail("ada@example.com");
    expect(email?.kind).toBe("verify_email");
    expect(email?.textBody).toContain("http://localhost:3000/verify-email?token=");
  });

  it("answers a new and an existing email identically, and emails the existing owner instead", async () => {
    const owner = await createUser("grace@example.com", { name: "Grace Hopper" });

    const forExisting = await observable(await post({ json: { ...valid, email: owner.email, name: "Someone Else" } }));
    const forNew = await observable(await post({ json: valid }));
    expect(forExisting).toEqual(forNew);
    expect(forExisting.status).toBe(202);
    expect(forExisting.cookies).toHaveLength(1);
    expect(forExisting.cookies[0]).toMatch(/^doorman\.signup=<43>;/);

    expect(await countRows(users, eq(users.emailCanonical, "grace@example.com"))).toBe(1);
    expect(await countRows(oneTimeTokens, eq(oneTimeTokens.userId, owner.id))).toBe(0);
    const notice = await readEmail("grace@example.com");
    expect(notice?.kind).toBe("signup_existing_account");
    expect(notice?.subject).toMatch(/^Someone tried to sign up/);
    expect(notice?.textBody).not.toContain("token=");
    const db = await getDb();
    const [grace] = await db.select({ name: users.name }).from(users).where(eq(users.id, owner.id));
    expect(grace?.name).toBe("Grace Hopper");
  });

  it.each([
    ["full-width", "ＡＤＡ@ｅｘａｍｐｌｅ.com"],
    ["mixed-case", "Ada@Example.COM"],
    ["padded", "  ada@example.com  "],
  ])("does not create a second account for a %s duplicate email", async (_name, duplicate) => {
    const owner = await createUser("ada@example.com");
    const response = await post({ json: { ...valid, email: duplicate } });
    expect(response.status).toBe(202);
    expect(await countRows(users)).toBe(1);
    expect(await countRows(oneTimeTokens)).toBe(0);
    expect((await readEmail(owner.email))?.kind).toBe("signup_existing_account");
  });

  it("creates one account when the same new email signs up twice at once, with one live link", async () => {
    const responses = await Promise.all([post({ json: valid }), post({ json: { ...valid, email: "ADA@example.com" } })]);
    expect(responses.map((r) => r.status)).toEqual([202, 202]);
    expect(await countRows(users)).toBe(1);
    expect(await countRows(oneTimeTokens, isNull(oneTimeTokens.usedAt))).toBe(1);
  });

  it("stores names that look like SQL as plain text", async () => {
    const name = "Robert'); DROP TABLE users;--";
    expect((await post({ json: { ...valid, name } })).status).toBe(202);
    const db = await getDb();
    const [user] = await db.select({ name: users.name }).from(users);
    expect(user?.name).toBe(name);
  });
});

describe("POST /api/auth/signup with bad input", () => {
  const megabyte = JSON.stringify({ ...valid, name: "x".repeat(1024 * 1024) });

  it.each<[string, Parameters<typeof post>[0], number, string]>([
    ["malformed JSON", { body: '{"name":"Ada","email":', headers: { "content-type": "application/json" } }, 400, "invalid_json"],
    ["a __proto__ key", { body: `{"name":"Ada","email":"ada@example.com","password":"${PASSWORD}","__proto__":{"role":"admin"}}`, headers: { "content-type": "application/json" } }, 400, "invalid_json"],
    ["a 1 MB body", { body: megabyte, headers: { "content-type": "application/json" } }, 413, "payload_too_large"],
    ["a 1 MB body with its Content-Length", { body: megabyte, headers: { "content-type": "application/json", "content-length": String(megabyte.length) } }, 413, "payload_too_large"],
    ["a text/plain body (the form a cross-site <form> can send)", { body: JSON.stringify(valid), headers: { "content-type": "text/plain" } }, 415, "unsupported_media_type"],
    ["a form-encoded body", { body: new URLSearchParams(valid).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } }, 415, "unsupported_media_type"],
    ["a JSON array", { json: [valid] }, 400, "invalid_request"],
    ["Sec-Fetch-Site: cross-site", { json: valid, headers: CROSS_SITE.fetchMetadata }, 403, "cross_site_request"],
    ["Sec-Fetch-Site: same-site", { json: valid, headers: { "sec-fetch-site": "same-site" } }, 403, "cross_site_request"],
    ["a foreign Origin without Sec-Fetch-Site", { json: valid, headers: CROSS_SITE.foreignOrigin }, 403, "cross_site_request"],
    ["Origin: null without Sec-Fetch-Site", { json: valid, headers: CROSS_SITE.nullOrigin }, 403, "cross_site_request"],
    ["a cross-site text/plain post", { body: JSON.stringify(valid), headers: { "content-type": "text/plain", ...CROSS_SITE.foreignOrigin } }, 403, "cross_site_request"],
  ])("refuses %s and writes nothing", async (_name, request, status, code) => {
    const response = await post(request);
    await expectJsonError(response, status, code);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await countRows(users)).toBe(0);
    expect(await countRows(emailOutbox)).toBe(0);
    expect(await countRows(oneTimeTokens)).toBe(0);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["every field invalid", { name: "", email: "not-an-email", password: "short" }, ["name", "email", "password"]],
    ["missing fields", {}, ["name", "email", "password"]],
    ["wrong types", { name: ["Ada"], email: 42, password: { length: 20 } }, ["name", "email", "password"]],
    ["an email with an injection string", { ...valid, email: "ada@example.com' OR '1'='1" }, ["email"]],
    ["a quoted local part", { ...valid, email: '"ada"@example.com' }, ["email"]],
    ["a name with control characters", { ...valid, name: "Ada\u0000\u001b[31m" }, ["name"]],
    ["a password under the minimum", { ...valid, password: "elevenchars" }, ["password"]],
    ["a 2,000-character password", { ...valid, password: "p".repeat(2000) }, ["password"]],
  ])("answers 400 invalid_request with a message per bad field for %s", async (_name, json, fields) => {
    const response = await post({ json });
    const body = await expectJsonError(response, 400, "invalid_request");
    expect(Object.keys(body.error.fields ?? {}).sort()).toEqual([...fields].sort());
    for (const message of Object.values(body.error.fields ?? {})) expect(message).toMatch(/\w+/);
    expect(await countRows(users)).toBe(0);
    expect(await countRows(emailOutbox)).toBe(0);
  });

  it("accepts a form post from our own no-referrer page (Sec-Fetch-Site: same-origin, Origin: null)", async () => {
    const response = await post({ json: valid, headers: { "sec-fetch-site": "same-origin", origin: "null" } });
    expect(response.status).toBe(202);
    expect(await countRows(users)).toBe(1);
  });
});
