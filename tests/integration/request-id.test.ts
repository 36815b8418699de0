import { describe, expect, it, vi } from "vitest";
import { refresh } from "../support/node-route";
import { POST as login } from "@/app/api/auth/login/route";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { env } from "@/lib/env";
import { FORWARDED_REQUEST_ID_SIGNATURE_HEADER, signRequestId } from "@/lib/http/forwarded-client";
import { TestClient, type RouteHandler } from "../support/client";
import { advanceClock } from "../support/clock";
import { createUser, loginAs, PASSWORD } from "../support/fixtures";

// Every line one request logs carries its id (docs/decisions/0032): the id the
// middleware hands on to a route handler, and the one it signs for the refresh
// endpoint when it refreshes on a request's behalf.

const h = (handler: unknown) => handler as RouteHandler;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Every structured line logged so far, parsed. */
function loggedLines(): Record<string, unknown>[] {
  return [console.info, console.warn, console.error]
    .flatMap((fn) => (vi.isMockFunction(fn) ? fn.mock.calls : []))
    .map(([line]) => String(line))
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const linesOf = (event: string) => loggedLines().filter((line) => line.event === event);

/** A browser whose refresh cookie has been rotated twice since `stolen`: presenting `stolen` is reuse. */
async function replayable(): Promise<{ stolen: string }> {
  const browser = await loginAs(await createUser());
  const stolen = browser.cookie(cookieNames().refresh)!;
  for (let rotation = 0; rotation < 2; rotation++) {
    expect((await browser.call(h(refresh), { path: "/api/auth/refresh", body: "" })).status).toBe(200);
  }
  advanceClock(env().REFRESH_REUSE_GRACE_SECONDS + 1);
  return { stolen };
}

const replay = (stolen: string, headers: Record<string, string>) =>
  new TestClient().call(h(refresh), { path: "/api/auth/refresh", body: "", headers: { cookie: `${cookieNames().refresh}=${stolen}`, ...headers } });

describe("request ids in the log", () => {
  it("a route handler logs under the id the middleware handed on", async () => {
    const user = await createUser();
    const client = new TestClient();
    const signIn = (password: string, id: string) =>
      client.call(h(login), { path: "/api/auth/login", json: { email: user.email, password }, headers: { "x-request-id": id } });
    expect((await signIn("not the password at all", "first-request-0001")).status).toBe(401);
    expect((await signIn(PASSWORD, "second-request-0002")).status).toBe(200);
    expect(linesOf("auth.sign_in_failed").map((line) => line.requestId)).toEqual(["first-request-0001"]);
    expect(linesOf("auth.sign_in").map((line) => line.requestId)).toEqual(["second-request-0002"]);
  });

  it("the refresh endpoint logs under the id the middleware signed, and answers with it", async () => {
    const { stolen } = await replayable();
    const id = "5f3c1e0b-9a8d-4c7e-8f1a-0b9c8d7e6f5a";
    const response = await replay(stolen, { "x-request-id": id, [FORWARDED_REQUEST_ID_SIGNATURE_HEADER]: await signRequestId(id) });
    expect(response.status).toBe(401);
    expect(response.headers.get("x-request-id")).toBe(id);
    expect(linesOf("auth.refresh_token_reuse").map((line) => line.requestId)).toEqual([id]);
  });

  it("the refresh endpoint gives an unsigned id a new one of its own: a client cannot choose it", async () => {
    const { stolen } = await replayable();
    const response = await replay(stolen, { "x-request-id": "chosen-by-the-client" });
    expect(response.status).toBe(401);
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(UUID);
    expect(linesOf("auth.refresh_token_reuse").map((line) => line.requestId)).toEqual([id]);
  });
});
