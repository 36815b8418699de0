import { request as playwrightRequest } from "@playwright/test";
import { test, expect } from "./support/fixtures";
import { APP_URL } from "./support/servers";
import { ACCESS_COOKIE, ACCESS_TOKEN_TTL_MS, REFRESH_COOKIE, waitForAccessCookieToExpire } from "./support/cookies";
import { signUpAndVerify, uniqueEmail } from "./support/users";

// The edge middleware at the HTTP level (contract invariant 4): who is turned
// away, and the transparent refresh that hands new cookies to the browser on
// the very response that needed them.

const PROTECTED_PAGES = ["/dashboard", "/account", "/admin"];

/** A request exactly as given: no cookie jar, no redirects followed. */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${APP_URL}${path}`, { headers, redirect: "manual" });
}

/** A signed-in HTTP client's cookies, read from its jar after sign-up and verification. */
async function signedInCookies(label: string): Promise<{ email: string; access: string; refresh: string }> {
  const client = await playwrightRequest.newContext({ baseURL: APP_URL });
  try {
    const { email } = await signUpAndVerify(client, uniqueEmail(label));
    const { cookies } = await client.storageState();
    const value = (name: string) => cookies.find((c) => c.name === name)?.value ?? "";
    expect(value(ACCESS_COOKIE)).not.toBe("");
    expect(value(REFRESH_COOKIE)).not.toBe("");
    return { email, access: value(ACCESS_COOKIE), refresh: value(REFRESH_COOKIE) };
  } finally {
    await client.dispose();
  }
}

/** The auth cookies a response sets, with their attributes as written. */
function authSetCookies(response: Response): Map<string, { value: string; attributes: string }> {
  const found = new Map<string, { value: string; attributes: string }>();
  for (const line of response.headers.getSetCookie()) {
    const [pair = "", ...rest] = line.split(";");
    const name = pair.slice(0, pair.indexOf("="));
    if (name !== ACCESS_COOKIE && name !== REFRESH_COOKIE) continue;
    expect(found.has(name), `one Set-Cookie for ${name}`).toBe(false);
    found.set(name, { value: pair.slice(pair.indexOf("=") + 1), attributes: rest.join(";").toLowerCase() });
  }
  return found;
}

function expectRotatedCookies(response: Response, previousRefresh: string): string {
  const cookies = authSetCookies(response);
  expect([...cookies.keys()].sort()).toEqual([ACCESS_COOKIE, REFRESH_COOKIE]);
  for (const { value, attributes } of cookies.values()) {
    expect(value).not.toBe("");
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("secure");
    expect(attributes).toContain("samesite=lax");
    expect(attributes).toContain("path=/");
  }
  const refresh = cookies.get(REFRESH_COOKIE)!.value;
  expect(refresh).not.toBe(previousRefresh);
  return refresh;
}

test.describe("signed out", () => {
  for (const path of [...PROTECTED_PAGES, "/dashboard?tab=security"]) {
    test(`${path} redirects to /login?next=<path>`, async () => {
      const response = await rawGet(path);
      expect([303, 307]).toContain(response.status);
      const location = new URL(response.headers.get("location") ?? "", APP_URL);
      expect(location.origin).toBe(APP_URL);
      expect(location.pathname).toBe("/login");
      expect(location.searchParams.get("next")).toBe(path);
    });
  }

  test("/api/me answers 401 JSON", async () => {
    const response = await rawGet("/api/me");
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    expect(body.error?.code).toBe("unauthenticated");
    expect(typeof body.error?.message).toBe("string");
  });

  test("a garbage refresh cookie is cleared and still turned away", async () => {
    const response = await rawGet("/dashboard", { cookie: `${REFRESH_COOKIE}=not-a-sealed-token` });
    expect([303, 307]).toContain(response.status);
    expect(new URL(response.headers.get("location") ?? "", APP_URL).pathname).toBe("/login");
    const cleared = authSetCookies(response);
    expect(cleared.get(REFRESH_COOKIE)?.value).toBe("");
  });

  // CVE-2025-29927: a client-sent x-middleware-subrequest once skipped the middleware entirely.
  for (const value of [
    "middleware",
    "middleware:middleware:middleware:middleware:middleware",
    "src/middleware",
    "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware",
    "pages/_middleware",
  ]) {
    test(`x-middleware-subrequest: ${value} opens no protected page or API`, async () => {
      for (const path of PROTECTED_PAGES) {
        const page = await rawGet(path, { "x-middleware-subrequest": value });
        expect([303, 307], path).toContain(page.status);
        expect(new URL(page.headers.get("location") ?? "", APP_URL).pathname, path).toBe("/login");
      }
      const api = await rawGet("/api/me", { "x-middleware-subrequest": value });
      expect(api.status).toBe(401);
    });
  }
});

test.describe("transparent refresh", () => {
  test("a garbage or expired access cookie with a live refresh cookie gets the page and both new cookies on that response", async () => {
    const user = await signedInCookies("refresh");

    // A garbage access token counts as absent: the refresh cookie decides.
    const page = await rawGet("/dashboard", { cookie: `${ACCESS_COOKIE}=garbage.not.jwt; ${REFRESH_COOKIE}=${user.refresh}` });
    expect(page.status).toBe(200);
    // The Server Components rendering this very request already saw the new access token.
    expect(await page.text()).toContain(user.email);
    const refresh = expectRotatedCookies(page, user.refresh);

    // The original access token, now past its exp, on a route handler.
    await new Promise((resolve) => setTimeout(resolve, ACCESS_TOKEN_TTL_MS + 1_000));
    const api = await rawGet("/api/me", { cookie: `${ACCESS_COOKIE}=${user.access}; ${REFRESH_COOKIE}=${refresh}` });
    expect(api.status).toBe(200);
    expect(((await api.json()) as { user: { email: string } }).user.email).toBe(user.email);
    expectRotatedCookies(api, refresh);
  });

  test("ten parallel fetches right after expiry all succeed and the user stays signed in", async ({ page, context }) => {
    const { email } = await signUpAndVerify(page.request, uniqueEmail("parallel"));
    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();

    await waitForAccessCookieToExpire(context);
    const answers = await page.evaluate(() =>
      Promise.all(
        Array.from({ length: 10 }, async () => {
          const response = await fetch("/api/me", { headers: { accept: "application/json" } });
          const body = (await response.json()) as { user?: { email?: string } };
          return { status: response.status, email: body.user?.email ?? null };
        }),
      ),
    );
    expect(answers).toEqual(Array.from({ length: 10 }, () => ({ status: 200, email })));

    await page.goto("/dashboard");
    await expect(page).toHaveURL(`${APP_URL}/dashboard`);
    await expect(page.getByText(email)).toBeVisible();
    const names = (await context.cookies()).map((cookie) => cookie.name);
    expect(names).toContain(ACCESS_COOKIE);
    expect(names).toContain(REFRESH_COOKIE);
  });
});

// The probes (docs/decisions/0026): a load balancer sends no cookies, but a
// browser on the site sends its own along; the middleware neither turns the
// one away nor refreshes or clears the other's cookies.
test.describe("health probes", () => {
  const PROBES = ["/api/health", "/api/health/ready"];

  test("answer an anonymous request 200, with the security headers", async () => {
    for (const path of PROBES) {
      const response = await rawGet(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("cache-control"), path).toBe("no-store");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
      expect(response.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
    }
  });

  test("neither refresh nor clear the cookies a browser sends along", async () => {
    const user = await signedInCookies("probe");
    for (const path of PROBES) {
      for (const refresh of [user.refresh, "not-a-sealed-token"]) {
        const response = await rawGet(path, { cookie: `${REFRESH_COOKIE}=${refresh}` });
        expect(response.status, path).toBe(200);
        expect([...authSetCookies(response).keys()], path).toEqual([]);
      }
    }
  });
});

// Protected unless public (docs/decisions/0028): an address on no list is
// gated like /dashboard; the public ones answer as their own page or handler
// decides, and only a public page's view reads, so refreshes, the session.
test.describe("protected unless public", () => {
  test("an address on no list is turned away signed out: a page to sign in, an API with 401 JSON", async () => {
    for (const path of ["/no-such-page", "/settings/notifications"]) {
      const page = await rawGet(path);
      // The middleware's 303, not a page's own 307 from requireUser.
      expect(page.status, path).toBe(303);
      const location = new URL(page.headers.get("location") ?? "", APP_URL);
      expect(location.pathname, path).toBe("/login");
      expect(location.searchParams.get("next"), path).toBe(path);
    }
    const api = await rawGet("/api/no-such-route");
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
  });

  test("signed in, an /api path no route serves answers 404 in the error shape, not the HTML not-found page", async () => {
    const user = await signedInCookies("unmatched-api");
    for (const method of ["GET", "POST", "DELETE"]) {
      const response = await fetch(`${APP_URL}/api/no-such-route`, { method, headers: { cookie: `${ACCESS_COOKIE}=${user.access}; ${REFRESH_COOKIE}=${user.refresh}` }, redirect: "manual" });
      expect(response.status, method).toBe(404);
      expect(response.headers.get("content-type"), method).toContain("application/json");
      expect(((await response.json()) as { error: { code: string } }).error.code, method).toBe("not_found");
    }
  });

  test("public files and routes answer anonymous requests themselves", async () => {
    const icon = await rawGet("/icon.svg");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toContain("image/svg+xml");
    expect((await rawGet("/.well-known/jwks.json")).status).toBe(200);
    // CRON_SECRET is unset here: the route's own 404, not the middleware's 401.
    const cron = await rawGet("/api/cron/outbox");
    expect(cron.status).toBe(404);
    expect(((await cron.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  test("a public page's view still refreshes (the sign-in page sends a signed-in user on); a public route never does", async () => {
    const user = await signedInCookies("public-refresh");
    const login = await rawGet("/login", { cookie: `${REFRESH_COOKIE}=${user.refresh}` });
    expect([303, 307]).toContain(login.status);
    expect(new URL(login.headers.get("location") ?? "", APP_URL).pathname).toBe("/dashboard");
    const refresh = expectRotatedCookies(login, user.refresh);

    for (const path of ["/.well-known/jwks.json", "/icon.svg"]) {
      const response = await rawGet(path, { cookie: `${REFRESH_COOKIE}=${refresh}` });
      expect(response.status, path).toBe(200);
      expect([...authSetCookies(response).keys()], path).toEqual([]);
    }
  });
});
