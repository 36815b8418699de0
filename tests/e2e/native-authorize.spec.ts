import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { createDoormanClient } from "../../lib/client/doorman-client";
import { memoryTokenStore } from "../../lib/client/token-store";
import { expect, test } from "./support/fixtures";
import { APP_URL, E2E_NATIVE_CLIENT } from "./support/servers";
import { signUpAndVerify, uniqueEmail } from "./support/users";

// A native app signing in through the system browser (RFC 8252,
// docs/decisions/0034), with Chromium as that browser: the app builds the
// authorize URL with lib/client, the browser opens it, signs in on
// Doorman's own /login page, and is sent to the app's private-use scheme.
// Chromium has no handler for that scheme and aborts the navigation; the
// OS's part, handing the URL to the app as ASWebAuthenticationSession or a
// Custom Tab does, is played by taking the URL of that request (the 303's
// Location). The app then redeems the code through lib/client.

const REDIRECT_URI = E2E_NATIVE_CLIENT.redirectUris[0]!;

/** The app: lib/client with memory for a store, from its own client address. */
function nativeApp() {
  const ip = `198.19.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
  const fetchAsDevice: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("x-forwarded-for", ip);
    return fetch(input, { ...init, headers });
  };
  const store = memoryTokenStore();
  return { store, doorman: createDoormanClient({ baseUrl: APP_URL, store, fetch: fetchAsDevice }) };
}

/**
 * What the system browser hands the app: the address on the app's scheme it
 * was redirected to. Chromium reports the request to it (then aborts it: no
 * handler); it must be the Location of a 303 from the authorization endpoint.
 */
function callbackFrom(page: Page): Promise<string> {
  return new Promise((resolve, reject) => {
    page.on("request", (request) => {
      if (!request.url().startsWith(`${REDIRECT_URI}?`)) return;
      const check = async () => {
        const from = request.redirectedFrom();
        expect(from && new URL(from.url()).pathname).toBe("/api/auth/authorize");
        const response = await from!.response();
        expect(response?.status()).toBe(303);
        expect(response?.headers()["location"]).toBe(request.url());
        return request.url();
      };
      check().then(resolve, reject);
    });
  });
}

test("signs in on Doorman's page in the browser and comes back to the app with a code that redeems for working tokens", async ({ page, request }) => {
  // The account exists; this browser has never signed in.
  const user = await signUpAndVerify(request, uniqueEmail("native-browser"));
  const { doorman, store } = nativeApp();
  const { url, pending } = await doorman.beginBrowserSignIn({ clientId: E2E_NATIVE_CLIENT.clientId, redirectUri: REDIRECT_URI });
  const callback = callbackFrom(page);

  await page.goto(url);
  await expect(page).toHaveURL(/\/login\?next=%2Fapi%2Fauth%2Fauthorize%3F/);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();

  const callbackUrl = await callback;
  const params = new URL(callbackUrl).searchParams;
  expect(params.get("state")).toBe(pending.state);
  expect(params.get("iss")).toBe(new URL(APP_URL).origin);
  await doorman.completeBrowserSignIn(callbackUrl, pending);

  const tokens = await store.load();
  expect(tokens?.accessToken).toBeTruthy();
  const me = await fetch(`${APP_URL}/api/me`, { headers: { authorization: `Bearer ${tokens!.accessToken}` } });
  expect(me.status).toBe(200);
  expect((await me.json()).user.email).toBe(user.email);
});

test("a browser already signed in goes straight back to the app with a code, no sign-in page", async ({ page }) => {
  // page.request shares the browser's cookies: the browser is signed in.
  const user = await signUpAndVerify(page.request, uniqueEmail("native-browser-signed-in"));
  const { doorman } = nativeApp();
  const { url, pending } = await doorman.beginBrowserSignIn({ clientId: E2E_NATIVE_CLIENT.clientId, redirectUri: REDIRECT_URI });
  const callback = callbackFrom(page);
  const visited: string[] = [];
  page.on("request", (r) => visited.push(new URL(r.url()).pathname));

  // Handed to a scheme Chromium has no handler for, the navigation ends as aborted: the URL went to "the app".
  await page.goto(url).catch((error: Error) => expect(error.message).toMatch(/ERR_ABORTED/));

  const callbackUrl = await callback;
  expect(visited).not.toContain("/login");
  await doorman.completeBrowserSignIn(callbackUrl, pending);
  const me = await doorman.fetch("/api/me");
  expect(me.status).toBe(200);
  expect((await me.json()).user.email).toBe(user.email);
});

test("a browser whose access token has expired passes through /login, which refreshes it, and comes straight back", async ({ page }) => {
  const user = await signUpAndVerify(page.request, uniqueEmail("native-browser-expired"));
  // The e2e app's access tokens live 4 seconds; the refresh cookie lives on.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const { doorman } = nativeApp();
  const { url, pending } = await doorman.beginBrowserSignIn({ clientId: E2E_NATIVE_CLIENT.clientId, redirectUri: REDIRECT_URI });
  const callback = callbackFrom(page);
  const documents: string[] = [];
  page.on("request", (r) => {
    if (r.isNavigationRequest()) documents.push(`${r.method()} ${new URL(r.url()).protocol}${new URL(r.url()).pathname}`);
  });

  await page.goto(url).catch((error: Error) => expect(error.message).toMatch(/ERR_ABORTED/));

  const callbackUrl = await callback;
  // The authorize request, /login (whose view refreshed the token and sent it on), authorize again, the app's
  // scheme: one navigation through redirects, no form posted.
  expect(documents).toEqual(["GET http:/api/auth/authorize", "GET http:/login", "GET http:/api/auth/authorize", `GET ${REDIRECT_URI}`]);
  await doorman.completeBrowserSignIn(callbackUrl, pending);
  expect((await (await doorman.fetch("/api/me")).json()).user.email).toBe(user.email);
});

test.describe("a request the browser cannot send back", () => {
  // Chromium reports every 4xx document it loads.
  test.use({ expectedConsoleErrors: [/status of 400/] });

  test("a redirect URI not registered for the app: a page saying so, no redirect anywhere", async ({ page }) => {
    await signUpAndVerify(page.request, uniqueEmail("native-browser-refused"));
    const { doorman } = nativeApp();
    const { url } = await doorman.beginBrowserSignIn({ clientId: E2E_NATIVE_CLIENT.clientId, redirectUri: "com.example.attacker:/oauth/callback" });
    const response = await page.goto(url);
    expect(response?.status()).toBe(400);
    expect(response?.request().redirectedFrom()).toBeNull();
    await expect(page.getByRole("heading", { name: "Sign-in request refused" })).toBeVisible();
    await expect(page.getByText("not registered for this application")).toBeVisible();
  });
});

test("signs in with a single sign-on provider in the browser, and the app gets its code all the same", async ({ page }) => {
  const { doorman, store } = nativeApp();
  const { url, pending } = await doorman.beginBrowserSignIn({ clientId: E2E_NATIVE_CLIENT.clientId, redirectUri: REDIRECT_URI });
  const callback = callbackFrom(page);
  const login = `native-sso-${randomBytes(4).toString("hex")}`;

  await page.goto(url);
  await expect(page).toHaveURL(/\/login\?next=%2Fapi%2Fauth%2Fauthorize%3F/);
  // The provider's link carries next=, so the callback returns to the authorization request.
  await page.getByRole("link", { name: "Continue with Acme" }).click();
  await page.getByLabel("Login").fill(login);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();

  const callbackUrl = await callback;
  expect(new URL(callbackUrl).searchParams.get("state")).toBe(pending.state);
  await doorman.completeBrowserSignIn(callbackUrl, pending);
  const me = await fetch(`${APP_URL}/api/me`, { headers: { authorization: `Bearer ${(await store.load())!.accessToken}` } });
  expect(me.status).toBe(200);
  expect((await me.json()).user.email).toBe(`${login}@example.test`);
});
