import { describe, expect, it, vi } from "vitest";
import { logRequestError } from "@/lib/request-error";
import { expectConsoleError } from "@/tests/support/console-guard";

const CONTEXT = { routerKind: "App Router", routePath: "/reset-password", routeType: "render", revalidateReason: undefined } as const;

function loggedLine(): Record<string, unknown> {
  const calls = vi.mocked(console.error).mock.calls;
  expect(calls).toHaveLength(1);
  return JSON.parse(String(calls[0]![0])) as Record<string, unknown>;
}

describe("logRequestError (Next's onRequestError)", () => {
  it("logs one error line under the request's id, with the digest the error page shows and no query", () => {
    expectConsoleError();
    const error = Object.assign(new Error("relation \"sessions\" does not exist"), { digest: "2417923587" });
    const headers = { "x-request-id": "0f8e3c1a-2b4d-4e6f-8a9b-0c1d2e3f4a5b", cookie: "secret-cookie=value" };
    logRequestError(error, { path: "/reset-password?token=one-time-secret", method: "GET", headers }, CONTEXT);
    const line = loggedLine();
    expect(line).toMatchObject({
      level: "error",
      event: "request_failed",
      requestId: "0f8e3c1a-2b4d-4e6f-8a9b-0c1d2e3f4a5b",
      method: "GET",
      path: "/reset-password",
      route: "/reset-password",
      routeType: "render",
      digest: "2417923587",
      error: 'Error: relation "sessions" does not exist',
    });
    expect(JSON.stringify(line)).not.toContain("one-time-secret");
    expect(JSON.stringify(line)).not.toContain("secret-cookie");
  });

  it("gives a request without a usable id one of its own", () => {
    expectConsoleError();
    logRequestError("thrown", { path: "/", method: "GET", headers: { "x-request-id": "bad\nid" } }, CONTEXT);
    const line = loggedLine();
    expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(line.error).toBe("non-error thrown");
    expect(line).not.toHaveProperty("digest");
  });
});
