import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { test, expect } from "./support/fixtures";
import { ACCESS_COOKIE, REFRESH_COOKIE, authCookie, waitForAccessCookieToExpire } from "./support/cookies";
import { APP_URL, OIDC_URLS } from "./support/servers";
import { signIn } from "./support/sign-in";
import { signUpAndVerify, uniqueEmail } from "./support/users";

// Single sign-on in Chromium, through the providers' own sign-in pages: a
// real OpenID Provider (oidc-provider, "Acme"), one that breaks its ID tokens
// on purpose ("Broken") and a GitHub stand-in, all started by
// playwright.config.ts on 127.0.0.1 (tests/support/oidc/).

const login = (label: string) => `${label}-${randomBytes(4).toString("hex")}`;

/** At the provider's page: its Login field, then its submit button. */
async function signInAtProvider(page: Page, name: string, button = "Sign in"): Promise<void> {
  await page.getByLabel("Login").fill(name);
  await page.getByRole("button", { name: button }).click();
}

test("signs in with an OpenID provider, lands where it was going and stays signed in as its token expires", async ({ page, context }) => {
  const name = login("sso-ada");
  await page.goto("/account");
  await expect(page).toHaveURL(`${APP_URL}/login?next=%2Faccount`);
  await page.getByRole("link", { name: "Continue with Acme" }).click();
  await expect(page).toHaveURL(new RegExp(`^${OIDC_URLS.acme}/`));
  await signInAtProvider(page, name);

  await expect(page).toHaveURL(`${APP_URL}/account`);
  await expect(page.getByText(`${name}@example.test`).first()).toBeVisible();
  await expect(page.getByRole("list", { name: "Linked providers" })).toContainText("Acme");
  // An account made by single sign-on has no password to change until it sets one.
  await expect(page.getByRole("heading", { name: "Change password" })).toHaveCount(0);
  // The session is Doorman's own, with its own cookies: the provider's tokens are nowhere in the browser.
  const cookieNames = (await context.cookies()).map((cookie) => cookie.name);
  expect(cookieNames).toEqual(expect.arrayContaining([ACCESS_COOKIE, REFRESH_COOKIE]));
  expect(cookieNames).not.toContain("doorman.sso-flow");

  const refreshBefore = (await authCookie(context, REFRESH_COOKIE))!.value;
  await waitForAccessCookieToExpire(context);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await expect(page.getByText(name).first()).toBeVisible();
  expect((await authCookie(context, REFRESH_COOKIE))!.value).not.toBe(refreshBefore);
});

test("cancelling at the provider ends on /login with a sentence, signed out", async ({ page, context }) => {
  await page.goto("/login");
  await page.getByRole("link", { name: "Continue with Acme" }).click();
  await page.getByLabel("Login").fill(login("sso-cancel"));
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/\/login\?error=access_denied/);
  await expect(page.getByRole("alert").filter({ hasText: "Sign-in was cancelled at the provider." })).toBeVisible();
  expect(await authCookie(context, ACCESS_COOKIE)).toBeUndefined();
});

test("an ID token that fails verification (alg: none) signs nobody in, and /login says why", async ({ page, request, context }) => {
  const mode = await request.post(`${OIDC_URLS.broken}/__test/mode`, { data: { mode: "alg-none" } });
  expect(mode.ok()).toBe(true);
  try {
    await page.goto("/login");
    await page.getByRole("link", { name: "Continue with Broken" }).click();
    await signInAtProvider(page, login("sso-forged"));
    await expect(page).toHaveURL(/\/login\?error=invalid_response/);
    await expect(page.getByRole("alert").filter({ hasText: "could not be verified" })).toBeVisible();
    expect(await authCookie(context, REFRESH_COOKIE)).toBeUndefined();
  } finally {
    await request.post(`${OIDC_URLS.broken}/__test/mode`, { data: { mode: "ok" } });
  }
});

test("signs in with GitHub, which issues no ID token, from the primary verified address its API gives", async ({ page }) => {
  const name = login("sso-octo");
  const registered = await page.request.post(`${OIDC_URLS.github}/__test/accounts`, {
    data: { login: name, emails: [{ email: `${name}@users.test`, verified: true, primary: true }] },
  });
  expect(registered.ok()).toBe(true);
  await page.goto("/login");
  await page.getByRole("link", { name: "Continue with GitHub" }).click();
  await signInAtProvider(page, name, "Authorize");
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await page.goto("/account");
  await expect(page.getByText(`${name}@users.test`).first()).toBeVisible();
});

test("a password account links a provider from /account, signs in with it, then unlinks it", async ({ page, request, context }) => {
  const user = await signUpAndVerify(request, uniqueEmail("sso-link"));
  await signIn(page, user.email, user.password);
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await page.goto("/account");
  await expect(page.getByText("No provider is linked.")).toBeVisible();

  const name = login("sso-linked");
  // Another address at the provider: linking from a signed-in account does not depend on it.
  await request.post(`${OIDC_URLS.acme}/__test/accounts`, { data: { login: name, email: `${name}@elsewhere.test`, email_verified: false } });
  await page.getByRole("button", { name: "Link Acme" }).click();
  await signInAtProvider(page, name);
  await expect(page).toHaveURL(`${APP_URL}/account?linked=acme`);
  await expect(page.getByRole("status")).toContainText("Acme is linked");
  await expect(page.getByRole("list", { name: "Linked providers" })).toContainText(`${name}@elsewhere.test`);

  // Signed out, the provider now opens this account.
  await context.clearCookies();
  await page.goto("/login");
  await page.getByRole("link", { name: "Continue with Acme" }).click();
  await signInAtProvider(page, name);
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await page.goto("/account");
  await expect(page.getByText(user.email).first()).toBeVisible();

  await page.getByRole("button", { name: "Unlink Acme" }).click();
  await expect(page.getByText("No provider is linked.")).toBeVisible();
});

test("a provider that cannot be reached is reported on /login, which keeps working", async ({ page }) => {
  // Where "Continue with Down" leads (the link itself may already read "unavailable": other tests open /login too).
  await page.goto("/api/auth/oidc/down/start");
  await expect(page).toHaveURL(/\/login\?error=provider_unavailable/);
  await expect(page.getByRole("alert").filter({ hasText: "We could not reach the sign-in provider" })).toBeVisible();
  // /login never waits on a provider: it discovers in the background and shows a failure it saw within 30 seconds.
  await expect(async () => {
    await page.reload();
    await expect(page.getByText("Down is unavailable right now")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
  await expect(page.getByRole("link", { name: "Continue with Acme" })).toBeVisible();
  await expect(page.getByLabel("Email")).toBeVisible();
});
