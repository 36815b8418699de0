import { test, expect } from "./support/fixtures";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "./support/cookies";
import { APP_URL } from "./support/servers";
import { signUp, uniqueEmail } from "./support/users";

// The confirmation page is served with Referrer-Policy: no-referrer, so its
// form posts with `Origin: null` (and Sec-Fetch-Site: same-origin). Without
// client JavaScript that is a plain form post, which Next's own server-action
// origin check refuses unless told otherwise (SECURITY.md: our own token pages
// must still be able to post their forms).

test.use({ javaScriptEnabled: false });

test("the emailed link confirms the address and signs in the browser that signed up, without JavaScript", async ({ page, context }) => {
  const email = uniqueEmail("verify-nojs");
  // page.request shares the browser's cookies: this browser holds the signup marker (docs/decisions/0019).
  const link = await signUp(page.request, email);

  await page.goto(link.href);
  const formPost = page.waitForRequest((r) => r.method() === "POST" && r.resourceType() === "document");
  await page.getByRole("button", { name: "Confirm email" }).click();
  expect(await (await formPost).headerValue("origin")).toBe("null");
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await expect(page.getByText(email)).toBeVisible();
  // The signup marker is spent; the 4-second access cookie may already have lapsed on a busy machine.
  const names = (await context.cookies()).map((cookie) => cookie.name);
  expect(names.filter((name) => name !== ACCESS_COOKIE)).toEqual([REFRESH_COOKIE]);
});
