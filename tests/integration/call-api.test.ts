import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as me } from "@/app/api/me/route";
import { callApi, RefusedApiTargetError } from "@/lib/auth/call-api";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { DOWNSTREAM_TOKEN_TTL_SECONDS } from "@/lib/auth/edge/jwt";
import { resetEnvCache } from "@/lib/env";
import { middleware } from "@/middleware";
import { NextRequest } from "next/server";
import { adminApi } from "../support/admin-api";
import { APP, TestClient, type RouteHandler } from "../support/client";
import { createUser, loginAs } from "../support/fixtures";
import { expectJsonError } from "../support/http";

// callApi (lib/auth/call-api.ts) from a Server Component, for real: the
// signed-in user's cookies are the incoming request's (next/headers, mocked
// below), and three listeners on 127.0.0.1 play Doorman's own API
// (INTERNAL_URL), a backend listed in DOWNSTREAM_API_ORIGINS, and a foreign
// host. Each records what reached it.

const incoming = vi.hoisted(() => ({ cookies: new Map<string, string>() }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (incoming.cookies.has(name) ? { name, value: incoming.cookies.get(name)! } : undefined),
  }),
  headers: async () => new Headers(),
}));

type Recorder = { origin: string; port: number; seen: IncomingHttpHeaders[]; server: Server };

async function listen(): Promise<Recorder> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    seen.push(request.headers);
    response.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, port, seen, server };
}

let internal: Recorder;
let downstream: Recorder;
let foreign: Recorder;
const saved = { INTERNAL_URL: process.env.INTERNAL_URL, DOWNSTREAM_API_ORIGINS: process.env.DOWNSTREAM_API_ORIGINS };

beforeAll(async () => {
  [internal, downstream, foreign] = await Promise.all([listen(), listen(), listen()]);
  process.env.INTERNAL_URL = internal.origin;
  process.env.DOWNSTREAM_API_ORIGINS = downstream.origin;
  resetEnvCache();
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
  await Promise.all([internal, downstream, foreign].map(({ server }) => new Promise((resolve) => server.close(resolve))));
});

beforeEach(() => {
  for (const recorder of [internal, downstream, foreign]) recorder.seen.length = 0;
});
afterEach(() => incoming.cookies.clear());

/** The incoming request is this signed-in browser's. */
function browse(client: TestClient): string {
  for (const [name, value] of client.cookies) incoming.cookies.set(name, value);
  return client.cookie(cookieNames().access)!;
}

const bearerOf = (headers: IncomingHttpHeaders | undefined) => /^Bearer (.+)$/.exec(headers?.authorization ?? "")?.[1];

describe("callApi never hands a token to a host that is not ours or listed", () => {
  // Regression: "/\t/evil.example/x" passed the prefix check and the URL parser,
  // which drops tab, CR and LF, resolved it to http://evil.example/x.
  it("refuses every path that resolves elsewhere, all at once, and the foreign host hears nothing", async () => {
    browse(await loginAs(await createUser()));
    const host = `127.0.0.1:${foreign.port}`;
    const corpus = [
      `/\t/${host}/steal`,
      `/\n/${host}/steal`,
      `/\r/${host}/steal`,
      `/\r\n/${host}/steal`,
      `/\t\\${host}/steal`,
      `/ /${host}/steal`,
      `//${host}/steal`,
      `/\\${host}/steal`,
      `/.//${host}/steal`,
      `${foreign.origin}/steal`,
      `${foreign.origin}\t/steal`,
    ];
    const outcomes = await Promise.allSettled(corpus.map((target) => callApi(target)));
    expect(foreign.seen.map((headers) => headers.authorization), "what reached the foreign host").toEqual([]);
    for (const [index, outcome] of outcomes.entries()) {
      expect(outcome.status, JSON.stringify(corpus[index])).toBe("rejected");
      if (outcome.status === "rejected") expect(outcome.reason, JSON.stringify(corpus[index])).toBeInstanceOf(RefusedApiTargetError);
    }
    expect(internal.seen.length + downstream.seen.length).toBe(0);
  });

  it("positive control: a path reaches Doorman's own API with the user's own token, a listed URL its backend", async () => {
    const access = browse(await loginAs(await createUser()));
    expect((await callApi("/api/me")).status).toBe(200);
    expect((await callApi(`${downstream.origin}/v1/things`)).status).toBe(200);
    expect(internal.seen.map(bearerOf)).toEqual([access]);
    expect(downstream.seen).toHaveLength(1);
    expect(bearerOf(downstream.seen[0])).toBeTruthy();
    expect(foreign.seen).toEqual([]);
  });

  it("sends no token to a downstream for an anonymous request", async () => {
    expect((await callApi(`${downstream.origin}/v1/things`)).status).toBe(200);
    expect(downstream.seen.map((headers) => headers.authorization)).toEqual([undefined]);
  });
});

describe("what a downstream receives is no key to Doorman", () => {
  async function signedInAdmin() {
    const admin = await createUser("root@example.com", { role: "admin", name: "Root Admin" });
    const client = await loginAs(admin);
    const access = browse(client);
    await callApi(`${downstream.origin}/v1/things`);
    const minted = bearerOf(downstream.seen[0]);
    if (!minted) throw new Error("the downstream got no token");
    return { admin, access, minted };
  }

  it("is minted for the downstream: its origin as audience, the same user and session, a minute to live", async () => {
    const { admin, access, minted } = await signedInAdmin();
    expect(minted).not.toBe(access);
    const own = decodeJwt(access);
    const claims = decodeJwt(minted);
    expect(claims).toMatchObject({ aud: downstream.origin, iss: own.iss, sub: admin.id, sid: own.sid, role: "admin" });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(DOWNSTREAM_TOKEN_TTL_SECONDS);
  });

  // Regression: callApi sent the user's own access token (audience "doorman")
  // to downstreams, and Doorman's API, admin routes included, accepted it back.
  it("is refused as Bearer by /api/me and the admin API, and counts as no cookie at all; the user's own token passes both ways", async () => {
    const { access, minted } = await signedInAdmin();
    const asBearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
    const withCookie = (token: string) => {
      const client = new TestClient();
      client.cookies.set(cookieNames().access, token);
      return client;
    };
    const h = (handler: unknown) => handler as RouteHandler;

    // The stolen token, every way at once.
    const refused = await Promise.all([
      new TestClient().call(h(me), { path: "/api/me", ...asBearer(minted) }),
      adminApi.list(new TestClient(), "", asBearer(minted)),
      withCookie(minted).call(h(me), { path: "/api/me" }),
      adminApi.list(withCookie(minted)),
    ]);
    // 401 unauthenticated, not invalid_session: the token is as good as absent.
    for (const response of refused) await expectJsonError(response, 401, "unauthenticated");

    // Positive control: the user's own token, on the same routes, both ways.
    const accepted = await Promise.all([
      new TestClient().call(h(me), { path: "/api/me", ...asBearer(access) }),
      adminApi.list(new TestClient(), "", asBearer(access)),
      withCookie(access).call(h(me), { path: "/api/me" }),
      adminApi.list(withCookie(access)),
    ]);
    expect(accepted.map((response) => response.status)).toEqual([200, 200, 200, 200]);
  });

  it("as the access cookie, the middleware treats it as absent: a protected page sends the browser to sign in", async () => {
    const { access, minted } = await signedInAdmin();
    const visit = (token: string) =>
      middleware(new NextRequest(new URL("/admin", APP), { headers: { cookie: `${cookieNames().access}=${token}` } }));
    const turnedAway = await visit(minted);
    expect(turnedAway.status).toBe(303);
    expect(new URL(turnedAway.headers.get("location")!).pathname).toBe("/login");
    // Positive control: the user's own token passes the gate.
    const passed = await visit(access);
    expect(passed.headers.get("location")).toBeNull();
    expect(passed.headers.get("x-middleware-next")).toBe("1");
  });
});
