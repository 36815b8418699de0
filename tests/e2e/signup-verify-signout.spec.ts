import { test, expect } from "./support/fixtures";
import { ACCESS_COOKIE, REFRESH_COOKIE, authCookie, waitForAccessCookieToExpire } from "./support/cookies";
import { linkIn, mailbox } from "./support/mailbox";
import { PASSWORD, uniqueEmail } from "./support/users";

// The whole life of a browser session: sign up, confirm the email from the
// message that was really sent, stay signed in past the access token's
// lifetime without noticing, sign out.

const APP_URL = "http://localhost:3100";

test("sign up, confirm the email, stay signed in across a silent refresh, sign out", async ({ page, context }) => {
  const email = uniqueEmail("signup");

  await page.goto("/signup");
  await page.getByLabel("Name").fill("Grace Hopper");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  expect(await context.cookies()).toEqual([]);

  // Contract: email links are built from APP_URL.
  const link = linkIn(await mailbox.latest(email), "/verify-email");
  expect(link.origin).toBe(APP_URL);
  await page.goto(link.href);
  await page.getByRole("button", { name: "Confirm email" }).click();
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();

  // Contract invariant 1: nothing page JavaScript can read holds a token.
  const readable = await page.evaluate(() => ({
    cookie: document.cookie,
    localStorage: Object.keys(localStorage),
    sessionStorage: Object.keys(sessionStorage),
  }));
  expect(readable.cookie).not.toContain("doorman");
  expect(readable.localStorage).toEqual([]);
  expect(readable.sessionStorage).toEqual([]);
  const authCookies = (await context.cookies()).filter((cookie) => cookie.name.startsWith("doorman"));
  expect(authCookies.map((cookie) => cookie.name).sort()).toEqual([ACCESS_COOKIE, REFRESH_COOKIE]);
  for (const cookie of authCookies) {
    expect(cookie, cookie.name).toMatchObject({ domain: "localhost", path: "/", httpOnly: true, secure: true, sameSite: "Lax" });
  }

  // Past the 4-second access token: a reload refreshes on the same response.
  const refreshBefore = (await authCookie(context, REFRESH_COOKIE))!.value;
  await waitForAccessCookieToExpire(context);
  const reloaded = await page.reload();
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await expect(page.getByText(email)).toBeVisible();
  // Both new cookies arrive on the page's own response (the new access cookie
  // itself lives only 4 s, too short to look for afterwards on a slow machine).
  const setCookies = (await reloaded!.headersArray()).filter((header) => header.name.toLowerCase() === "set-cookie");
  expect(setCookies.map((header) => header.value.slice(0, header.value.indexOf("="))).sort()).toEqual([ACCESS_COOKIE, REFRESH_COOKIE]);
  const refreshAfter = (await authCookie(context, REFRESH_COOKIE))?.value;
  expect(refreshAfter).toBeTruthy();
  expect(refreshAfter).not.toBe(refreshBefore);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/^http:\/\/localhost:3100\/(login)?$/);
  expect((await context.cookies()).filter((cookie) => cookie.name.startsWith("doorman"))).toEqual([]);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(`${APP_URL}/login?next=%2Fdashboard`);
});
