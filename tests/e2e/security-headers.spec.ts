import http from "node:http";
import { request as playwrightRequest, type Page, type Response as PageResponse } from "@playwright/test";
import { test, expect } from "./support/fixtures";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "./support/cookies";
import { APP_URL } from "./support/servers";
import { directives, expectNoncedScripts, expectPageHeaders } from "./support/security-headers";
import { signUpAndVerify, uniqueEmail } from "./support/users";

// SECURITY.md "Next.js specifics": a nonce-based CSP and the other security
// headers on every response, and pages that still run under that policy
// (docs/decisions/0007). The fixture also fails a test on any console error,
// which is where Chromium reports a blocked script or style.

const PUBLIC_PAGES = ["/", "/login", "/signup", "/forgot-password", "/reset-password?token=x", "/verify-email?token=x"];
const SIGNED_IN_PAGES = ["/dashboard", "/account"];

/** A request exactly as given: no cookie jar, no redirects followed. */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${APP_URL}${path}`, { headers, redirect: "manual" });
}

/** Records every CSP violation the page reports, from before its first script runs. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  // Init scripts come from the browser's debugging protocol, outside the page's CSP.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}

async function visit(page: Page, path: string, violations: () => Promise<string[]>): Promise<PageResponse> {
  const response = await page.goto(path);
  expect(response, path).not.toBeNull();
  expect(response!.status(), path).toBe(200);
  expect(new URL(page.url()).pathname, `${path} was not redirected`).toBe(new URL(path, APP_URL).pathname);
  await page.waitForLoadState("networkidle");
  expectPageHeaders(path, await response!.allHeaders());
  expect(await violations(), `${path}: CSP violations`).toEqual([]);
  return response!;
}

test("public pages load under the CSP with no violation", async ({ page }) => {
  const violations = await watchViolations(page);
  for (const path of PUBLIC_PAGES) await visit(page, path, violations);
});

test("signing in through the UI works under the CSP, and signed-in pages load with no violation", async ({
  page,
  request,
}) => {
  const user = await signUpAndVerify(request, uniqueEmail("csp"));
  const violations = await watchViolations(page);
  await visit(page, "/login", violations);
  // Next's client bootstrap sets window.next: its scripts ran under the nonce.
  await page.waitForFunction(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version));
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  expect(await violations(), "CSP violations while signing in").toEqual([]);
  for (const path of SIGNED_IN_PAGES) await visit(page, path, violations);
});

test("Next puts the response's nonce on its scripts, and every request gets a new one", async () => {
  const nonces = new Set<string>();
  for (let i = 0; i < 3; i++) {
    const response = await rawGet("/login");
    expect(response.status).toBe(200);
    nonces.add(await expectNoncedScripts(response));
  }
  expect(nonces.size).toBe(3);
});

test("a transparent refresh hands the page both the new cookies and the nonce", async () => {
  const client = await playwrightRequest.newContext({ baseURL: APP_URL });
  await signUpAndVerify(client, uniqueEmail("csp-refresh"));
  const { cookies } = await client.storageState();
  await client.dispose();
  const refresh = cookies.find((cookie) => cookie.name === REFRESH_COOKIE)?.value;
  expect(refresh).toBeTruthy();

  // No access cookie: the middleware refreshes, and the page renders signed in
  // (no redirect) only if the new access token reached it with the nonce.
  const response = await rawGet("/dashboard", { cookie: `${REFRESH_COOKIE}=${refresh}` });
  expect(response.status).toBe(200);
  const set = response.headers.getSetCookie().map((line) => line.slice(0, line.indexOf("=")));
  expect(set.sort()).toEqual([ACCESS_COOKIE, REFRESH_COOKIE].sort());
  expectPageHeaders("/dashboard", Object.fromEntries(response.headers));
  await expectNoncedScripts(response);
});

/** Every Content-Security-Policy line of the response as sent: fetch would join two into one. */
function policiesSent(path: string, headers: Record<string, string> = {}): Promise<string[]> {
  return new Promise((resolve, reject) => {
    http
      .get(`${APP_URL}${path}`, { headers }, (response) => {
        response.resume();
        const lines = response.rawHeaders.filter((_, i) => i % 2 === 1 && response.rawHeaders[i - 1]!.toLowerCase() === "content-security-policy");
        resolve(lines);
      })
      .on("error", reject);
  });
}

// The matcher's `missing` rule sends prefetches past the middleware, which left them with no CSP at all.
test("prefetches, which skip the middleware, get the fallback policy; pages get the nonce policy alone", async () => {
  const prefetches: Record<string, string>[] = [{ "next-router-prefetch": "1", rsc: "1" }, { purpose: "prefetch" }];
  for (const prefetch of prefetches) {
    for (const path of ["/", "/login"]) {
      const policies = await policiesSent(path, prefetch);
      expect(policies, `${path} with ${JSON.stringify(prefetch)}`).toHaveLength(1);
      const scripts = directives(policies[0]).get("script-src");
      expect(scripts, "nothing inline runs").toEqual(["'self'"]);
      expect(directives(policies[0]).get("frame-ancestors")).toEqual(["'none'"]);
    }
  }
  // Where the middleware runs, its header replaces the fallback: one policy, the nonce one.
  for (const path of PUBLIC_PAGES) {
    const policies = await policiesSent(path);
    expect(policies, path).toHaveLength(1);
    expect(directives(policies[0]).get("script-src"), path).toContain("'strict-dynamic'");
  }
});

test("responses the middleware makes itself carry the headers", async () => {
  const redirect = await rawGet("/dashboard");
  expect(redirect.status).toBe(303);
  expectPageHeaders("/dashboard", Object.fromEntries(redirect.headers));

  const unauthenticated = await rawGet("/api/auth/sessions");
  expect(unauthenticated.status).toBe(401);
  expect(unauthenticated.headers.get("x-content-type-options")).toBe("nosniff");
  expect(unauthenticated.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
});

test("API responses and static files send nosniff, and no HSTS over http", async () => {
  const jwks = await rawGet("/.well-known/jwks.json");
  expect(jwks.status).toBe(200);
  const login = await fetch(`${APP_URL}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: uniqueEmail("nobody"), password: "not the password at all" }),
  });
  expect(login.status).toBe(401);

  // A static chunk: the middleware does not run there, next.config.ts headers() does.
  const html = await (await rawGet("/")).text();
  const chunk = html.match(/src="(\/_next\/static\/[^"]+\.js)"/)?.[1];
  expect(chunk, "a static script in the page").toBeTruthy();
  const asset = await rawGet(chunk!);
  expect(asset.status).toBe(200);

  for (const response of [jwks, login, asset]) {
    expect(response.headers.get("x-content-type-options"), response.url).toBe("nosniff");
    expect(response.headers.get("strict-transport-security"), response.url).toBeNull();
  }
  expect(asset.headers.get("x-frame-options")).toBe("DENY");
  expect(asset.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
});
