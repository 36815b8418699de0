import { describe, expect, it } from "vitest";
import { SignJWT, base64url, decodeJwt, exportJWK, generateKeyPair } from "jose";
import { GET as session } from "@/app/api/auth/session/route";
import { GET as me } from "@/app/api/me/route";
import { eq, sql } from "drizzle-orm";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { closeDb, executeRows, getDb } from "@/db/client";
import { resetEnvCache } from "@/lib/env";
import { users } from "@/db/schema";
import { TestClient, type RouteHandler } from "../support/client";
import { createUser, loginAs } from "../support/fixtures";
import { expectJsonError } from "../support/http";
import { statementsSentDuring } from "../support/statements";

const h = (handler: unknown) => handler as RouteHandler;

async function signedIn() {
  const user = await createUser("ada@example.com", { name: "Ada Lovelace" });
  const browser = await loginAs(user);
  const names = cookieNames();
  return { user, browser, names, access: browser.cookie(names.access)! };
}

const publicUser = (id: string) => ({ id, email: "ada@example.com", name: "Ada Lovelace", role: "user", emailVerified: true });

/** Tokens an attacker can make without the server's private key, for a real user and session. */
async function forgedTokens(access: string): Promise<Record<string, string>> {
  const claims = decodeJwt(access);
  const { kid } = JSON.parse(new TextDecoder().decode(base64url.decode(access.split(".")[0]!)));
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const sign = (header: Record<string, unknown>, payload = { ...claims, role: "admin" }) =>
    new SignJWT(payload).setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid, ...header }).sign(privateKey);
  const [header, payload, signature] = access.split(".") as [string, string, string];
  const escalated = base64url.encode(JSON.stringify({ ...claims, role: "admin" }));
  return {
    "alg none": `${base64url.encode(JSON.stringify({ alg: "none", typ: "at+jwt", kid }))}.${payload}.`,
    "another key, our kid": await sign({}),
    "embedded jwk": await sign({ jwk: await exportJWK(publicKey) }),
    "jku elsewhere": await sign({ jku: "https://evil.example/jwks.json" }),
    "payload edited": `${header}.${escalated}.${signature}`,
  };
}

describe("GET /api/auth/session", () => {
  it("answers with the user and the session's id and expiry", async () => {
    const { user, browser, access } = await signedIn();
    const response = await browser.call(h(session), { path: "/api/auth/session" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({ user: publicUser(user.id), session: { id: decodeJwt(access).sid, expiresAt: expect.any(String) } });
    const expiresIn = new Date(body.session.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    expect(expiresIn).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);
  });

  it("asks the database: a disabled user's still-valid access JWT gets 401", async () => {
    const { user, browser } = await signedIn();
    const db = await getDb();
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    await expectJsonError(await browser.call(h(session), { path: "/api/auth/session" }), 401, "invalid_session");
  });

  it("answers 401 without a session", async () => {
    await expectJsonError(await new TestClient().call(h(session), { path: "/api/auth/session" }), 401, "unauthenticated");
  });
});

describe("GET /api/me", () => {
  it("answers with the user from the access cookie", async () => {
    const { user, browser } = await signedIn();
    const response = await browser.call(h(me), { path: "/api/me" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: publicUser(user.id) });
  });

  it("accepts the access JWT as Authorization: Bearer without any cookie", async () => {
    const { user, access } = await signedIn();
    const response = await new TestClient().call(h(me), { path: "/api/me", headers: { authorization: `Bearer ${access}` } });
    expect(response.status).toBe(200);
    expect((await response.json()).user.id).toBe(user.id);
  });

  it("does not accept the access JWT in the query string", async () => {
    const { access } = await signedIn();
    for (const name of ["access_token", "token", "jwt"]) {
      const response = await new TestClient().call(h(me), { path: `/api/me?${name}=${encodeURIComponent(access)}` });
      await expectJsonError(response, 401, "unauthenticated");
    }
  });

  it("does not accept other authorization schemes", async () => {
    const { access } = await signedIn();
    for (const authorization of [`Basic ${access}`, `Token ${access}`, `bearer${access}`, access]) {
      expect((await new TestClient().call(h(me), { path: "/api/me", headers: { authorization } })).status).toBe(401);
    }
  });

  it("answers 401 to forged JWTs, in the cookie or as a bearer token", async () => {
    const { access, names } = await signedIn();
    for (const [name, forged] of Object.entries(await forgedTokens(access))) {
      const viaCookie = await new TestClient().call(h(me), { path: "/api/me", headers: { cookie: `${names.access}=${forged}` } });
      expect(viaCookie.status, `${name} (cookie)`).toBe(401);
      const viaBearer = await new TestClient().call(h(me), { path: "/api/me", headers: { authorization: `Bearer ${forged}` } });
      expect(viaBearer.status, `${name} (bearer)`).toBe(401);
    }
    // Control: the genuine token passes the same way.
    expect((await new TestClient().call(h(me), { path: "/api/me", headers: { cookie: `${names.access}=${access}` } })).status).toBe(200);
  });
});

describe.runIf(process.env.DOORMAN_TEST_DATABASE === "postgres")("database round trips of a signed-in API call", () => {
  // Regression: /api/me read the session's liveness, then the user, in two round trips.
  it("GET /api/me and GET /api/auth/session each send one statement: the liveness read is the user read", async () => {
    const { browser, user } = await signedIn();
    for (const [handler, path] of [
      [me, "/api/me"],
      [session, "/api/auth/session"],
    ] as const) {
      let response: Response | undefined;
      const sent = await statementsSentDuring(async () => (response = await browser.call(h(handler), { path })));
      expect(response!.status, path).toBe(200);
      expect((await response!.json()).user, path).toEqual(publicUser(user.id));
      expect(sent, path).toHaveLength(1);
      expect(sent[0], path).toMatch(/^select .* from "sessions" inner join "users"/);
    }
  });

  // Named statements (docs/decisions/0024) break a pooler in transaction mode
  // that does not keep them; DATABASE_PREPARED_STATEMENTS=false turns them off.
  it.each([
    ["true", 1],
    ["false", 0],
  ])("DATABASE_PREPARED_STATEMENTS=%s: the liveness read is prepared on the connection (%i) or sent unnamed", async (setting, expected) => {
    const { browser } = await signedIn();
    await closeDb();
    process.env.DATABASE_PREPARED_STATEMENTS = setting;
    resetEnvCache();
    try {
      expect((await browser.call(h(me), { path: "/api/me" })).status).toBe(200);
      // One request at a time: postgres.js has opened one connection, and this asks on it.
      const rows = await executeRows<{ count: number }>(
        await getDb(),
        sql`select count(*)::int as count from pg_prepared_statements where statement like '%from "sessions" inner join "users"%'`,
      );
      expect(rows[0]!.count).toBe(expected);
    } finally {
      await closeDb();
      delete process.env.DATABASE_PREPARED_STATEMENTS;
      resetEnvCache();
    }
  });
});
