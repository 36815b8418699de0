import type { Page } from "@playwright/test";
import { test as base, expect } from "./support/fixtures";
import { extendAccessToken } from "./support/access-token";
import { ACCESS_COOKIE, REFRESH_COOKIE, authCookie } from "./support/cookies";
import { mailbox } from "./support/mailbox";
import { APP_URL } from "./support/servers";
import { signIn } from "./support/sign-in";
import { signUpAndVerify, uniqueEmail, type TestUser } from "./support/users";

// /account with two devices signed in as one user. Device A is the test's own
// page (headless Chromium on Linux); device B is a second browser context
// that presents itself as an iPhone, so the list can tell the two apart.
// Ending a session from A ends it for B on B's very next page, although B's
// access JWT is still valid: protected pages check the session in the database.

const LAPTOP = "Chrome on Linux";
const PHONE = "Safari on iPhone";
const PHONE_USER_AGENT =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const NEW_PASSWORD = "a brand new passphrase for the account page";

/** Device B: a browser of its own, closed after the test. */
const test = base.extend<{ phone: Page }>({
  phone: async ({ browser }, use) => {
    const context = await browser.newContext({ baseURL: APP_URL, userAgent: PHONE_USER_AGENT });
    await use(await context.newPage());
    await context.close();
  },
});

// Each test hashes a password with bcrypt five or six times, on a machine shared with the app and Chromium.
test.describe.configure({ timeout: 60_000 });

/**
 * Device A signs up and confirms (its context keeps the cookies); device B
 * signs in through the login page. Both then hold production-lifetime access
 * tokens (see extendAccessToken).
 */
async function signInOnTwoDevices(page: Page, phone: Page): Promise<TestUser> {
  const user = await signUpAndVerify(page.request, uniqueEmail("account"));
  await signIn(phone, user.email, user.password);
  await expect(phone).toHaveURL(`${APP_URL}/dashboard`);
  await extendAccessToken(page);
  await extendAccessToken(phone);
  return user;
}

const deviceList = (page: Page) => page.getByRole("list", { name: "Signed-in devices" });
const device = (page: Page, label: string) => deviceList(page).getByRole("listitem").filter({ hasText: label });

async function expectSignedOut(page: Page): Promise<void> {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(`${APP_URL}/login?next=%2Fdashboard`);
}

test("signing another device out ends its session on its next page, while its access token is still valid", async ({ page, phone }) => {
  await signInOnTwoDevices(page, phone);

  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Account" })).toBeVisible();
  await expect(deviceList(page).getByRole("listitem")).toHaveCount(2);
  await expect(deviceList(page).getByRole("listitem").filter({ hasText: "This device" })).toHaveCount(1);
  await expect(device(page, LAPTOP)).toContainText("This device");
  await expect(device(page, PHONE)).not.toContainText("This device");

  await page.getByRole("button", { name: `Sign out ${PHONE}` }).click();
  await expect(device(page, PHONE)).toHaveCount(0);
  await expect(deviceList(page).getByRole("listitem")).toHaveCount(1);

  // The security activity tells the story, newest first, naming the device.
  const activity = page.getByRole("list", { name: "Security activity" }).getByRole("listitem");
  await expect(activity.first()).toContainText("A device was signed out");
  await expect(activity.filter({ hasText: "Signed in from a new device" })).toContainText(PHONE);
  await expect(activity.last()).toContainText("Account created");

  // The API refuses it on its next call too, its access token still valid.
  const me = await phone.request.get("/api/me");
  expect(me.status()).toBe(401);
  expect((await me.json()).error.code).toBe("invalid_session");
  await expectSignedOut(phone);
  // The sign-in page's top bar asks the database too: the ended session does not show as signed in above the form.
  await expect(phone.getByRole("banner").getByRole("button", { name: "Sign out" })).toHaveCount(0);
  // Device A is untouched.
  await page.goto("/dashboard");
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
});

test("Sign out everywhere ends every session, this device's included", async ({ page, context, phone }) => {
  await signInOnTwoDevices(page, phone);

  await page.goto("/account");
  await expect(page.getByText("Ends every session of your account, this one included.")).toBeVisible();
  await page.getByRole("button", { name: "Sign out everywhere", exact: true }).click();
  await expect(page).toHaveURL(`${APP_URL}/login`);
  expect(await authCookie(context, ACCESS_COOKIE)).toBeUndefined();
  expect(await authCookie(context, REFRESH_COOKIE)).toBeUndefined();

  await expectSignedOut(page);
  await expectSignedOut(phone);
});

test("changing the password keeps this device, signs the others out, and only the new password works", async ({ page, phone }) => {
  const user = await signInOnTwoDevices(page, phone);

  await page.goto("/account");
  await expect(deviceList(page).getByRole("listitem")).toHaveCount(2);

  await page.getByLabel("Current password").fill("not the current password");
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByLabel("Current password")).toHaveAccessibleDescription("The current password is incorrect.");
  await expect(deviceList(page).getByRole("listitem")).toHaveCount(2);

  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toHaveText("Password changed. Other devices were signed out.");
  // Never echoed back: the form starts empty again.
  await expect(page.getByLabel("Current password")).toHaveValue("");
  await expect(page.getByLabel("New password")).toHaveValue("");
  await expect(deviceList(page).getByRole("listitem")).toHaveCount(1);
  await expect(device(page, LAPTOP)).toContainText("This device");
  expect((await mailbox.latest(user.email)).subject).toBe("Your password was changed");

  await expectSignedOut(phone);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);

  await signIn(phone, user.email, user.password);
  await expect(phone.getByText("The email or password is incorrect.")).toBeVisible();
  await expect(phone).toHaveURL(/\/login/);
  await signIn(phone, user.email, NEW_PASSWORD);
  await expect(phone).toHaveURL(`${APP_URL}/dashboard`);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the forms post as plain HTML; signing this device out from the list is signing out", async ({ page, context }) => {
    await signUpAndVerify(page.request, uniqueEmail("account-nojs"));
    // Regression: a 4-second token that expired during the action's bcrypt made the
    // re-render redirect (307) to /login, which re-posted the form there (409).
    await extendAccessToken(page);
    await page.goto("/account");
    await page.getByLabel("Current password").fill("not the current password");
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByLabel("Current password")).toHaveAccessibleDescription("The current password is incorrect.");

    await page.getByRole("button", { name: `Sign out ${LAPTOP}` }).click();
    await expect(page).toHaveURL(`${APP_URL}/login`);
    expect(await authCookie(context, ACCESS_COOKIE)).toBeUndefined();
    expect(await authCookie(context, REFRESH_COOKIE)).toBeUndefined();
    await expectSignedOut(page);
  });
});
