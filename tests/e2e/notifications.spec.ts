import { test, expect } from "./support/fixtures";
import { ACCESS_COOKIE, REFRESH_COOKIE, authCookie, waitForAccessCookieToExpire } from "./support/cookies";
import { APP_URL } from "./support/servers";
import { signUpAndVerify, uniqueEmail } from "./support/users";

// /settings/notifications is on no list: the middleware protects it because
// it protects everything that is not public (docs/decisions/0028).
// Regression: a page under app/(signed-in)/ missing from the old list of
// protected paths sent a form posted after the access token expired to /login.

const PATH = "/settings/notifications";
const BOX = "Email me when a new device signs in to my account";

test("signed out, the page sends the visitor to sign in and back", async ({ page, request }) => {
  const response = await fetch(`${APP_URL}${PATH}`, { redirect: "manual" });
  // 303 is the middleware's answer, before anything renders (the page's own requireUser would answer 307).
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get("location") ?? "", APP_URL);
  expect(location.pathname).toBe("/login");
  expect(location.searchParams.get("next")).toBe(PATH);

  const user = await signUpAndVerify(request, uniqueEmail("notify-gate"));
  await page.goto(PATH);
  await expect(page).toHaveURL(`${APP_URL}/login?next=${encodeURIComponent(PATH)}`);
  // The sign-in form keeps next=: the visitor lands where they were going.
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(`${APP_URL}${PATH}`);
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
});

test("the form, sent after the access token expired, saves: refreshed on the way, never sent to sign in", async ({ page, context }) => {
  await signUpAndVerify(page.request, uniqueEmail("notify-expired"));
  await page.goto("/account");
  await page.getByRole("link", { name: "Notification settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  await expect(page.getByLabel(BOX)).toBeChecked();

  await page.getByLabel(BOX).uncheck();
  const refreshBefore = (await authCookie(context, REFRESH_COOKIE))?.value;
  await waitForAccessCookieToExpire(context);
  await page.getByRole("button", { name: "Save" }).click();

  await expect(page.getByRole("status")).toHaveText("Saved. New-device sign-in emails are off.");
  await expect(page).toHaveURL(`${APP_URL}${PATH}`);
  // The middleware refreshed on the action's own request: new cookies, the session kept.
  expect(await authCookie(context, ACCESS_COOKIE)).toBeDefined();
  expect((await authCookie(context, REFRESH_COOKIE))?.value).not.toBe(refreshBefore);

  // Saved in the database, not only shown: a fresh render reads it back, and the account's activity says so.
  await page.reload();
  await expect(page.getByLabel(BOX)).not.toBeChecked();
  await page.goto("/account");
  await expect(page.getByRole("list", { name: "Security activity" }).getByRole("listitem").first()).toContainText(
    "New-device sign-in emails turned off",
  );
});
