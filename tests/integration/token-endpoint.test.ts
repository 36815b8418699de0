import { describe, expect, it } from "vitest";
import { and, eq, isNull } from "drizzle-orm";
import { decodeJwt } from "jose";
import { GET as me } from "@/app/api/me/route";
import { POST as changePassword } from "@/app/api/auth/change-password/route";
import { POST as logoutAll } from "@/app/api/auth/logout-all/route";
import { GET as session } from "@/app/api/auth/session/route";
import { GET as listSessions } from "@/app/api/auth/sessions/route";
import { DELETE as deleteSession } from "@/app/api/auth/sessions/[id]/route";
import { refresh } from "../support/node-route";
import { POST as revoke } from "@/app/api/auth/revoke/route";
import { POST as token } from "@/app/api/auth/token/route";
import { getDb } from "@/db/client";
import { securityEvents, sessions } from "@/db/schema";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { sealRefreshToken, unsealRefreshToken } from "@/lib/auth/sessions/refresh-token";
import { env } from "@/lib/env";
import { TestClient, type RouteHandler } from "../support/client";
import { createUser, loginAs, PASSWORD } from "../support/fixtures";
import { advanceClock } from "../support/clock";
import { expectJsonError } from "../support/http";
import { countRows } from "../support/rows";

const h = (handler: unknown) => handler as RouteHandler;
const TOKEN = "/api/auth/token";

type Tokens = { access_token: string; refresh_token: string; token_type: string; expires_in: number };

/** A native client: no cookie jar is ever sent, and none may be set. */
async function post(handler: unknown, path: string, body: Record<string, string>, encoding: "json" | "form" = "json") {
  const client = new TestClient();
  const response =
    encoding === "json"
      ? await client.call(h(handler), { path, json: body })
      : await client.call(h(handler), {
          path,
          body: new URLSearchParams(body).toString(),
          headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
        });
  expect(response.headers.getSetCookie(), "a native answer sets no cookie").toEqual([]);
  return response;
}

async function grant(body: Record<string, string>, encoding: "json" | "form" = "json"): Promise<Tokens> {
  const response = await post(token, TOKEN, body, encoding);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return response.json();
}

const passwordGrant = (email: string, encoding: "json" | "form" = "json") => grant({ grant_type: "password", email, password: PASSWORD }, encoding);
const refreshGrant = (refreshToken: string, encoding: "json" | "form" = "json") =>
  grant({ grant_type: "refresh_token", refresh_token: refreshToken }, encoding);

function meWithBearer(accessToken: string, path = "/api/me") {
  return new TestClient().call(h(me), { path, headers: { authorization: `Bearer ${accessToken}` } });
}

describe("POST /api/auth/token", () => {
  it.each(["json", "form"] as const)("grants tokens for a password (%s) that work as Bearer on /api/me", async (encoding) => {
    const user = await createUser("ada@example.com");
    const tokens = await passwordGrant(user.email, encoding);
    expect(Object.keys(tokens).sort()).toEqual(["access_token", "expires_in", "refresh_token", "token_type"]);
    expect(tokens.token_type).toBe("Bearer");
    const { exp, iat } = decodeJwt(tokens.access_token);
    expect(exp! - iat!).toBe(env().ACCESS_TOKEN_TTL_SECONDS);
    // exp counts whole seconds from iat: what is left is the lifetime, or up to a second less.
    expect(tokens.expires_in).toBeGreaterThanOrEqual(env().ACCESS_TOKEN_TTL_SECONDS - 1);
    expect(tokens.expires_in).toBeLessThanOrEqual(env().ACCESS_TOKEN_TTL_SECONDS);
    expect(decodeJwt(tokens.access_token).sub).toBe(user.id);
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const response = await meWithBearer(tokens.access_token);
    expect(response.status).toBe(200);
    expect((await response.json()).user.email).toBe("ada@example.com");
  });

  it("accepts the RFC's `username` for the address", async () => {
    const user = await createUser("ada@example.com");
    const tokens = await grant({ grant_type: "password", username: user.email, password: PASSWORD }, "form");
    expect(decodeJwt(tokens.access_token).sub).toBe(user.id);
  });

  it.each(["json", "form"] as const)("rotates the refresh token (%s) within the same session", async (encoding) => {
    const user = await createUser("ada@example.com");
    const first = await passwordGrant(user.email);
    const second = await refreshGrant(first.refresh_token, encoding);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.access_token).sid).toBe(decodeJwt(first.access_token).sid);
    expect((await meWithBearer(second.access_token)).status).toBe(200);
  });

  it("answers invalid_grant for a wrong password and an unknown email alike", async () => {
    const user = await createUser("ada@example.com");
    const wrong = await post(token, TOKEN, { grant_type: "password", email: user.email, password: "not the password at all" });
    const unknown = await post(token, TOKEN, { grant_type: "password", email: "nobody@example.com", password: "not the password at all" });
    const a = await expectJsonError(wrong, 400, "invalid_grant");
    const b = await expectJsonError(unknown, 400, "invalid_grant");
    expect(a).toEqual(b);
  });

  it("replays a rotated refresh token after the grace window: invalid_grant, family revoked, event written", async () => {
    const user = await createUser("ada@example.com");
    const first = await passwordGrant(user.email);
    // The app used the successor (it rotated again): no lost answer can explain the replay.
    const second = await refreshGrant((await refreshGrant(first.refresh_token)).refresh_token);
    const sid = decodeJwt(first.access_token).sid as string;

    advanceClock(env().REFRESH_REUSE_GRACE_SECONDS + 1);
    await expectJsonError(await post(token, TOKEN, { grant_type: "refresh_token", refresh_token: first.refresh_token }), 400, "invalid_grant");
    // The legitimate holder of the newest token is out too, and its access token no longer works.
    await expectJsonError(await post(token, TOKEN, { grant_type: "refresh_token", refresh_token: second.refresh_token }), 400, "invalid_grant");
    await expectJsonError(await meWithBearer(second.access_token), 401, "invalid_session");

    const db = await getDb();
    const [session] = await db.select().from(sessions).where(eq(sessions.id, sid));
    expect(session?.revokedReason).toBe("refresh_token_reuse");
    expect(await countRows(securityEvents, and(eq(securityEvents.type, "refresh_token_reuse"), eq(securityEvents.userId, user.id)))).toBe(1);
  });

  it("gives an app whose refresh answer was lost the same successor after the grace window, as a browser", async () => {
    const user = await createUser("ada@example.com");
    const first = await passwordGrant(user.email);
    const lost = await refreshGrant(first.refresh_token);

    advanceClock(env().REFRESH_REUSE_GRACE_SECONDS + 1);
    const retry = await refreshGrant(first.refresh_token);
    expect(retry.refresh_token).toBe(lost.refresh_token);
    expect((await meWithBearer(retry.access_token)).status).toBe(200);
    expect(await countRows(securityEvents, eq(securityEvents.type, "refresh_token_reuse"))).toBe(0);
  });

  it("gives concurrent refreshes with one token inside the grace window one successor", async () => {
    const user = await createUser("ada@example.com");
    const first = await passwordGrant(user.email);
    const answers = await Promise.all(Array.from({ length: 10 }, () => refreshGrant(first.refresh_token)));
    expect(new Set(answers.map((a) => a.refresh_token)).size).toBe(1);
  });

  it("never lets a browser's refresh token serve as a native grant", async () => {
    // The raw browser token sits inside the sealed cookie; even unsealed, its session is a browser one.
    const user = await createUser("ada@example.com");
    const browser = await loginAs(user);
    const raw = unsealRefreshToken(browser.cookie(cookieNames().refresh))!;
    await expectJsonError(await post(token, TOKEN, { grant_type: "refresh_token", refresh_token: raw }), 400, "invalid_grant");
    // Nor a native refresh token as a browser cookie.
    const native = await passwordGrant(user.email);
    const cookie = `${cookieNames().refresh}=${sealRefreshToken(native.refresh_token, 3600)}`;
    const response = await new TestClient().call(h(refresh), { path: "/api/auth/refresh", body: "", headers: { cookie } });
    await expectJsonError(response, 401, "invalid_session");
  });

  it("lists a native session among the user's devices", async () => {
    const user = await createUser("ada@example.com");
    const browser = await loginAs(user);
    await passwordGrant(user.email);
    const response = await browser.call(h(listSessions), { path: "/api/auth/sessions" });
    expect((await response.json()).sessions).toHaveLength(2);
  });

  it("refuses unknown grants, missing fields, duplicated form fields and other media types", async () => {
    await expectJsonError(await post(token, TOKEN, { grant_type: "client_credentials" }), 400, "unsupported_grant_type");
    await expectJsonError(await post(token, TOKEN, { email: "ada@example.com", password: PASSWORD }), 400, "invalid_request");
    const missing = await expectJsonError(await post(token, TOKEN, { grant_type: "refresh_token" }), 400, "invalid_request");
    expect(missing.error.fields).toHaveProperty("refresh_token");
    const both = await post(token, TOKEN, { grant_type: "password", email: "a@example.com", username: "a@example.com", password: PASSWORD });
    await expectJsonError(both, 400, "invalid_request");

    const duplicated = await new TestClient().call(h(token), {
      path: TOKEN,
      body: "grant_type=refresh_token&refresh_token=aaaaaaaaaaaaaaaaaaaa&refresh_token=bbbbbbbbbbbbbbbbbbbb",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    await expectJsonError(duplicated, 400, "invalid_request");
    const text = await new TestClient().call(h(token), { path: TOKEN, body: "grant_type=password", headers: { "content-type": "text/plain" } });
    await expectJsonError(text, 415, "unsupported_media_type");
    const huge = await post(token, TOKEN, { grant_type: "refresh_token", refresh_token: "a".repeat(17 * 1024) }, "form");
    await expectJsonError(huge, 413, "payload_too_large");
  });

  it("is not subject to the cross-site check: it takes no cookies", async () => {
    const user = await createUser("ada@example.com");
    const response = await new TestClient().call(h(token), {
      path: TOKEN,
      json: { grant_type: "password", email: user.email, password: PASSWORD },
      headers: { "sec-fetch-site": "cross-site", origin: "https://app.example" },
    });
    expect(response.status).toBe(200);
  });
});

describe("POST /api/auth/revoke", () => {
  it.each(["json", "form"] as const)("ends the session of a refresh token (%s)", async (encoding) => {
    const user = await createUser("ada@example.com");
    const tokens = await passwordGrant(user.email);
    const response = await post(revoke, "/api/auth/revoke", { token: tokens.refresh_token, token_type_hint: "refresh_token" }, encoding);
    expect(response.status).toBe(200);
    await expectJsonError(await post(token, TOKEN, { grant_type: "refresh_token", refresh_token: tokens.refresh_token }), 400, "invalid_grant");
    await expectJsonError(await meWithBearer(tokens.access_token), 401, "invalid_session");
  });

  it("ends the session an access token names", async () => {
    const user = await createUser("ada@example.com");
    const tokens = await passwordGrant(user.email);
    expect((await post(revoke, "/api/auth/revoke", { token: tokens.access_token })).status).toBe(200);
    await expectJsonError(await post(token, TOKEN, { grant_type: "refresh_token", refresh_token: tokens.refresh_token }), 400, "invalid_grant");
  });

  it("answers 200 for a token it does not know, and changes nothing", async () => {
    const user = await createUser("ada@example.com");
    await passwordGrant(user.email);
    const response = await post(revoke, "/api/auth/revoke", { token: "not-a-token-we-ever-issued" });
    expect(response.status).toBe(200);
    expect(await countRows(sessions, isNull(sessions.revokedAt))).toBe(1);
    await expectJsonError(await post(revoke, "/api/auth/revoke", {}), 400, "invalid_request");
  });
});

describe("Bearer tokens", () => {
  it("are never read from a query string", async () => {
    const user = await createUser("ada@example.com");
    const tokens = await passwordGrant(user.email);
    for (const name of ["access_token", "token", "bearer"]) {
      const response = await new TestClient().call(h(me), { path: `/api/me?${name}=${tokens.access_token}` });
      await expectJsonError(response, 401, "unauthenticated");
    }
  });

  it("work on every route that needs a user, through the data access layer", async () => {
    const user = await createUser("ada@example.com");
    const phone = await passwordGrant(user.email);
    const tablet = await passwordGrant(user.email);
    const bearer = (tokens: Tokens) => ({ authorization: `Bearer ${tokens.access_token}` });
    const client = new TestClient();

    const current = await client.call(h(session), { path: "/api/auth/session", headers: bearer(phone) });
    expect((await current.json()).session.id).toBe(decodeJwt(phone.access_token).sid);
    const listed = await (await client.call(h(listSessions), { path: "/api/auth/sessions", headers: bearer(phone) })).json();
    expect(listed.sessions.map((s: { current: boolean }) => s.current).sort()).toEqual([false, true]);

    const tabletSid = decodeJwt(tablet.access_token).sid as string;
    const removed = await client.call(h(deleteSession), {
      method: "DELETE",
      path: `/api/auth/sessions/${tabletSid}`,
      params: { id: tabletSid },
      headers: bearer(phone),
    });
    expect(removed.status).toBe(204);
    await expectJsonError(await meWithBearer(tablet.access_token), 401, "invalid_session");

    const changed = await client.call(h(changePassword), {
      path: "/api/auth/change-password",
      json: { currentPassword: PASSWORD, newPassword: "a brand new passphrase for ada" },
      headers: bearer(phone),
    });
    expect(changed.status).toBe(200);
    expect((await client.call(h(logoutAll), { path: "/api/auth/logout-all", body: "", headers: bearer(phone) })).status).toBe(204);
    await expectJsonError(await meWithBearer(phone.access_token), 401, "invalid_session");
  });
});
