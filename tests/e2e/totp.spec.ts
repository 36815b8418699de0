import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { createDoormanClient } from "../../lib/client/doorman-client";
import { memoryTokenStore } from "../../lib/client/token-store";
import { decodeBase32, totpCode } from "../../lib/auth/second-factor/totp";
import { extendAccessToken } from "./support/access-token";
import { expect, test } from "./support/fixtures";
import { APP_URL, E2E_NATIVE_CLIENT } from "./support/servers";
import { signIn } from "./support/sign-in";
import { signUpAndVerify, uniqueEmail, type TestUser } from "./support/users";

// Two-factor authentication in Chromium: set up from /account (the test reads
// the key the page shows and computes the codes an authenticator app would),
// then sign in with the password and a code, with a recovery code, and turn it
// off. Codes typed after the set-up are the next step's, which the server
// accepts (one step of drift) and which no earlier use has taken.

test.describe.configure({ timeout: 90_000 });

const nextCode = (secret: Buffer) => totpCode(secret, new Date(Date.now() + 30_000));

/** Signs up (the page's browser ends up signed in, just now: inside the step-up window) and turns TOTP on from /account. */
async function enrol(page: Page, label: string): Promise<{ user: TestUser; secret: Buffer; recoveryCodes: string[] }> {
  const user = await signUpAndVerify(page.request, uniqueEmail(label));
  await extendAccessToken(page);
  await page.goto("/account");
  await page.getByRole("button", { name: "Set up" }).click();
  const shown = await page.getByTestId("totp-secret").textContent();
  const secret = decodeBase32(shown!.trim())!;
  expect(secret).toHaveLength(20);
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" }).locator("svg")).toBeVisible();
  await page.getByLabel("Code from the app").fill(totpCode(secret, new Date()));
  await page.getByRole("button", { name: "Turn on" }).click();
  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const recoveryCodes = await list.getByRole("listitem").allTextContents();
  await expect(page.getByTestId("recovery-codes-left")).toHaveText("10 of 10 recovery codes left.");
  return { user, secret, recoveryCodes };
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("button", { name: "Sign out" })).toHaveCount(0);
}

test("set up from /account, sign in with a code, then with a recovery code, then turn it off", async ({ page }) => {
  const { user, secret, recoveryCodes } = await enrol(page, "totp");
  await page.goto("/dashboard");
  await signOut(page);

  // Password, then the authenticator's code.
  await signIn(page, user.email, user.password);
  await expect(page).toHaveURL(`${APP_URL}/login/second-factor?next=%2Fdashboard`);
  await page.getByLabel("Authentication code").fill(nextCode(secret));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await signOut(page);

  // Password, then a recovery code, typed in capitals.
  await signIn(page, user.email, user.password);
  await expect(page).toHaveURL(/\/login\/second-factor\?/);
  await page.getByRole("link", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(recoveryCodes[0]!.toUpperCase());
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await extendAccessToken(page);

  // That code is spent; the session just signed in, so turning it off needs no further proof.
  await page.goto("/account");
  await expect(page.getByTestId("recovery-codes-left")).toHaveText("9 of 10 recovery codes left.");
  await page.getByRole("button", { name: "Turn off" }).click();
  await expect(page.getByRole("button", { name: "Set up" })).toBeVisible();
  await signOut(page);

  // The password alone is enough again.
  await signIn(page, user.email, user.password);
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
});

test("a wrong code is refused on the page, and the right one then goes through", async ({ page }) => {
  const { user, secret } = await enrol(page, "totp-wrong");
  await page.goto("/dashboard");
  await signOut(page);
  await signIn(page, user.email, user.password);
  await expect(page).toHaveURL(/\/login\/second-factor\?/);
  const right = nextCode(secret);
  await page.getByLabel("Authentication code").fill(String((Number(right) + 500_000) % 1_000_000).padStart(6, "0"));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The code is incorrect or has already been used." })).toBeVisible();
  await page.getByLabel("Authentication code").fill(nextCode(secret));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
});

test("a native app's sign-in through the browser passes the second-factor page and comes back with a code", async ({ page }) => {
  const { user, secret } = await enrol(page, "totp-native");
  await page.goto("/dashboard");
  await signOut(page);

  const ip = `198.19.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
  const store = memoryTokenStore();
  const doorman = createDoormanClient({
    baseUrl: APP_URL,
    store,
    fetch: (input, init) => fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), "x-forwarded-for": ip } }),
  });
  const redirectUri = E2E_NATIVE_CLIENT.redirectUris[0]!;
  const { url, pending } = await doorman.beginBrowserSignIn({ clientId: E2E_NATIVE_CLIENT.clientId, redirectUri });
  const callback = new Promise<string>((resolve) => page.on("request", (request) => request.url().startsWith(`${redirectUri}?`) && resolve(request.url())));

  await page.goto(url);
  await expect(page).toHaveURL(/\/login\?next=%2Fapi%2Fauth%2Fauthorize%3F/);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/login\/second-factor\?next=%2Fapi%2Fauth%2Fauthorize%3F/);
  await page.getByLabel("Authentication code").fill(nextCode(secret));
  await page.getByRole("button", { name: "Continue" }).click();

  const callbackUrl = await callback;
  expect(new URL(callbackUrl).searchParams.get("state")).toBe(pending.state);
  await doorman.completeBrowserSignIn(callbackUrl, pending);
  const me = await doorman.fetch("/api/me");
  expect(me.status).toBe(200);
  expect((await me.json()).user.email).toBe(user.email);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("set up from /account, then sign in with the password and a recovery code, as plain form posts", async ({ page }) => {
    const { user, recoveryCodes } = await enrol(page, "totp-nojs");
    await page.goto("/dashboard");
    await signOut(page);

    await signIn(page, user.email, user.password);
    await expect(page).toHaveURL(/\/login\/second-factor\?next=%2Fdashboard/);
    await page.getByRole("link", { name: "Use a recovery code" }).click();
    const formPost = page.waitForRequest((request) => request.method() === "POST" && request.resourceType() === "document");
    await page.getByLabel("Recovery code").fill(recoveryCodes[1]!);
    await page.getByRole("button", { name: "Continue" }).click();
    expect(new URL((await formPost).url()).pathname).toBe("/login/second-factor");
    await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  });
});
