import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import refreshEndpoint from "@/pages/api/auth/refresh";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { PROTECTION_BYPASS_HEADER } from "@/lib/vercel";
import { middleware } from "@/middleware";
import { APP } from "../support/client";
import { currentEnv, setEnv } from "../support/env-vars";
import { createUser, loginAs } from "../support/fixtures";

// The middleware's refresh call to its own deployment (INTERNAL_URL) must get
// through Vercel's Deployment Protection, which answers anything without the
// project's bypass secret with a login page. Here the real refresh route
// stands behind a listener that records what each call carried.

let server: Server;
const seen: IncomingHttpHeaders[] = [];
const saved = currentEnv(["INTERNAL_URL", "VERCEL_AUTOMATION_BYPASS_SECRET"]);

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request.headers);
    void refreshEndpoint(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  setEnv({ INTERNAL_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});

afterEach(() => {
  seen.length = 0;
  setEnv({ VERCEL_AUTOMATION_BYPASS_SECRET: undefined });
});

afterAll(async () => {
  setEnv(saved);
  await new Promise((resolve) => server.close(resolve));
});

/** A page view with only the refresh cookie, as after the access token expired. */
async function visitWithExpiredAccess() {
  const browser = await loginAs(await createUser("ada@example.com"));
  const cookie = `${cookieNames().refresh}=${browser.cookie(cookieNames().refresh)!}`;
  return middleware(new NextRequest(new URL("/dashboard", APP), { headers: { cookie } }));
}

describe("the middleware's refresh call", () => {
  it("carries VERCEL_AUTOMATION_BYPASS_SECRET in x-vercel-protection-bypass when it is set", async () => {
    setEnv({ VERCEL_AUTOMATION_BYPASS_SECRET: "bypass-secret-from-vercel" });
    const response = await visitWithExpiredAccess();
    expect(seen).toHaveLength(1);
    expect(seen[0]![PROTECTION_BYPASS_HEADER]).toBe("bypass-secret-from-vercel");
    // The rotation went through: the page is served with both new cookies.
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.cookies.get(cookieNames().access)?.value).toBeTruthy();
    expect(response.cookies.get(cookieNames().refresh)?.value).toBeTruthy();
  });

  it("carries no such header when the variable is unset", async () => {
    const response = await visitWithExpiredAccess();
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toHaveProperty(PROTECTION_BYPASS_HEADER);
    expect(response.cookies.get(cookieNames().access)?.value).toBeTruthy();
  });
});
