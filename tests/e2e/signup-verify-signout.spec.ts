import { test, expect } from "./support/fixtures";
import { APP_URL } from "./support/servers";
import { ACCESS_COOKIE, REFRESH_COOKIE, SIGNUP_COOKIE, WEBAUTHN_COOKIE, authCookie, setCookieNames, waitForAccessCookieToExpire } from "./support/cookies";
import { linkIn, mailbox } from "./support/mailbox";
import { signUpThroughPage } from "./support/sign-in";
import { uniqueEmail } from "./support/users";

// The whole life of a browser session: sign up, confirm the email from the
// message that was really sent, stay signed in past the access token's
// lifetime without noticing, sign out.

test("sign up, confirm the email, stay signed in across silent refreshes, sign out", async ({ page, context }) => {
  const email = uniqueEmail("signup");

  await signUpThroughPage(page, "Grace Hopper", email);
  // Only the signup marker, which grants nothing by itself (docs/decisions/0019).
  expect((await context.cookies()).map((cookie) => cookie.name)).toEqual([SIGNUP_COOKIE]);
  expect((await context.cookies())[0]).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });

  // Contract: email links are built from APP_URL.
  const link = linkIn(await mailbox.latest(email), "/verify-email");
  expect(link.origin).toBe(APP_URL);
  await page.goto(link.href);
  // The page names the address before anything is pressed.
  await expect(page.getByText(email)).toBeVisible();
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
  expect(await setCookieNames(reloaded!)).toEqual([ACCESS_COOKIE, REFRESH_COOKIE]);
  const refreshAfter = (await authCookie(context, REFRESH_COOKIE))?.value;
  expect(refreshAfter).toBeTruthy();
  expect(refreshAfter).not.toBe(refreshBefore);

  // Past it again: a client-side navigation (an RSC request, not a document) refreshes the same way.
  await waitForAccessCookieToExpire(context);
  const navigation = page.waitForResponse((response) => {
    const headers = response.request().headers();
    return headers["rsc"] === "1" && !headers["next-router-prefetch"] && new URL(response.url()).pathname === "/dashboard";
  });
  await page.getByRole("link", { name: "Doorman" }).click();
  const rsc = await navigation;
  expect(rsc.status()).toBe(200);
  expect(await setCookieNames(rsc)).toEqual([ACCESS_COOKIE, REFRESH_COOKIE]);
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await expect(page.getByText(email)).toBeVisible();

  const refreshAtSignOut = (await authCookie(context, REFRESH_COOKIE))!.value;
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL((url) => url.origin === APP_URL && ["/", "/login"].includes(url.pathname));
  // Landing on /login starts a passkey ceremony for its autofill; its cookie grants nothing.
  expect((await context.cookies()).filter((cookie) => cookie.name.startsWith("doorman") && cookie.name !== WEBAUTHN_COOKIE)).toEqual([]);
  // The session ended on the server too: the last refresh cookie opens nothing.
  const replay = await fetch(`${APP_URL}/dashboard`, { headers: { cookie: `${REFRESH_COOKIE}=${refreshAtSignOut}` }, redirect: "manual" });
  expect(new URL(replay.headers.get("location") ?? "", APP_URL).pathname).toBe("/login");
  await page.goto("/dashboard");
  await expect(page).toHaveURL(`${APP_URL}/login?next=%2Fdashboard`);
});
