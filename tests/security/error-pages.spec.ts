import { test, expect } from "@playwright/test";
import { expectNoncedScripts, expectPageHeaders, directives } from "../e2e/support/security-headers";
import { newAccount } from "./support/accounts";
import { send, type SendOptions } from "./support/http";

// SECURITY.md "Next.js specifics": the security headers on error answers too.
// tests/e2e/security-headers.spec.ts covers the pages that render, the
// middleware's own redirects and 401s, API answers and static files in a real
// browser; this adds what goes wrong: the not-found page, Next's 405, our 4xx
// JSON errors, and token pages reached with a bad or missing token.

// Signed out, an unknown address is sent to sign in (protected unless public,
// docs/decisions/0028): the site-wide not-found page is for the signed-in,
// and for a public page that is not there (the mailbox, in production).
test("the not-found page carries the full set, its scripts nonced", async () => {
  const { cookies } = await newAccount("headers-unknown");
  const attempts: [string, SendOptions][] = [
    ["/no-such-page", { cookies }],
    ["/no/such/page", { cookies }],
    ["/.env", { cookies }],
    ["/_next/../etc/passwd", { cookies }],
    ["/dev/mailbox", {}],
  ];
  for (const [path, options] of attempts) {
    const response = await send(path, options);
    expect(response.status, path).toBe(404);
    expectPageHeaders(new URL(response.url).pathname, Object.fromEntries(response.headers));
    await expectNoncedScripts(response);
  }
});

test("a page that exists for nobody (/admin) answers a signed-in user with the not-found page and the headers", async () => {
  const account = await newAccount("headers-404");
  const response = await send("/admin", { cookies: account.cookies });
  expect(response.status).toBe(404);
  expectPageHeaders("/admin", Object.fromEntries(response.headers));
});

test("token pages keep no-referrer with a bad, missing or repeated token", async () => {
  for (const path of ["/verify-email", "/verify-email?token=", "/reset-password?token=%00", "/reset-password?token=a&token=b"]) {
    const response = await send(path);
    expect(response.status, path).toBe(200);
    expectPageHeaders(path, Object.fromEntries(response.headers));
  }
});

test("error answers from route handlers, Next and the middleware send nosniff and the CSP", async () => {
  const answers = {
    "unknown API route": await send("/api/no-such-route"),
    "405 from Next": await send("/api/auth/logout", { method: "GET" }),
    "413 from a handler": await send("/api/auth/login", { body: "x".repeat(64 * 1024), headers: { "content-type": "application/json" } }),
    "400 from a handler": await send("/api/auth/login", { body: "{", headers: { "content-type": "application/json" } }),
    "403 cross-site from a handler": await send("/api/auth/login", { json: {}, headers: { "sec-fetch-site": "cross-site" } }),
    "403 cross-site page post from the middleware": await send("/login", { method: "POST", body: "x", headers: { "sec-fetch-site": "cross-site" } }),
  };
  for (const [name, response] of Object.entries(answers)) {
    expect(response.status, name).toBeGreaterThanOrEqual(400);
    expect(response.headers.get("x-content-type-options"), name).toBe("nosniff");
    expect(directives(response.headers.get("content-security-policy")).get("frame-ancestors"), name).toEqual(["'none'"]);
    expect(response.headers.get("strict-transport-security"), name).toBeNull();
  }
});
