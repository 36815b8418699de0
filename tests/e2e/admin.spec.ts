import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { test as base, expect } from "./support/fixtures";
import { extendAccessToken } from "./support/access-token";
import { E2E_ADMIN } from "./support/admin";
import { APP_URL } from "./support/servers";
import { signIn, signInAsAdmin } from "./support/sign-in";
import { signUpAndVerify, uniqueEmail } from "./support/users";

// The admin console in Chromium. The admin was made with `npm run user`
// before the server started (playwright.config.ts); each user is signed up
// through the API. Every browser here comes from its own client address (the
// app trusts X-Forwarded-For in these tests), so the suite's many sign-ins
// never share one per-IP login limit.

const clientAddress = () => `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

/** The user's own browser, apart from the admin's. */
const test = base.extend<{ other: Page }>({
  other: async ({ browser }, use) => {
    const context = await browser.newContext({ baseURL: APP_URL, extraHTTPHeaders: { "x-forwarded-for": clientAddress() } });
    await use(await context.newPage());
    await context.close();
  },
});

test.use({ extraHTTPHeaders: { "x-forwarded-for": clientAddress() } });
// Several sign-ins (bcrypt) on a machine shared with the app and Chromium.
test.describe.configure({ timeout: 90_000 });

/** From the console's list, by searching for the address. */
async function openAccount(page: Page, email: string, name: string): Promise<void> {
  await page.goto("/admin");
  await page.getByLabel("Search by email or name").fill(email);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(`${APP_URL}/admin?query=${encodeURIComponent(email)}`);
  const rows = page.getByRole("table", { name: `Accounts matching ${email}` }).getByRole("row");
  await expect(rows).toHaveCount(2); // the header row and the one match
  await rows.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
}

test("an admin disables a user who is signed in elsewhere: the user's next page is the sign-in page", async ({ page, other }) => {
  const user = await signUpAndVerify(other.request, uniqueEmail("disabled"), "Dora Disabled");
  await extendAccessToken(other);
  await other.goto("/dashboard");
  await expect(other).toHaveURL(`${APP_URL}/dashboard`);

  await signInAsAdmin(page);
  await page.getByRole("link", { name: "Admin", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  await openAccount(page, user.email, user.name);
  await expect(page.getByRole("list", { name: "Signed-in devices" }).getByRole("listitem")).toHaveCount(1);

  await page.getByRole("button", { name: "Disable account" }).click();
  await expect(page.getByRole("button", { name: "Enable account" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Disabled");
  await expect(page.getByText("No device is signed in.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Security activity" }).getByRole("listitem").first()).toContainText(
    `An administrator disabled the account by ${E2E_ADMIN.email}`,
  );

  // Its access JWT is still valid for minutes: only the database says the session ended.
  await other.goto("/dashboard");
  await expect(other).toHaveURL(`${APP_URL}/login?next=%2Fdashboard`);
  await signIn(other, user.email, user.password);
  await expect(other.getByText("The email or password is incorrect.")).toBeVisible();

  await page.getByRole("button", { name: "Enable account" }).click();
  await expect(page.getByRole("button", { name: "Disable account" })).toBeVisible();
  await signIn(other, user.email, user.password);
  await expect(other).toHaveURL(`${APP_URL}/dashboard`);
  // The owner sees what was done to the account, but not by whom or from where.
  await other.goto("/account");
  const activity = other.getByRole("list", { name: "Security activity" }).getByRole("listitem");
  await expect(activity.nth(1)).toHaveText(/^An administrator enabled the account/);
  await expect(activity.nth(2)).toHaveText(/^An administrator disabled the account/);
  await expect(activity.nth(2)).not.toContainText(E2E_ADMIN.email);
});

test("an admin cannot disable or demote their own account from the console", async ({ page }) => {
  await signInAsAdmin(page);
  await openAccount(page, E2E_ADMIN.email, E2E_ADMIN.name);
  await expect(page.getByText("You cannot disable your own account. Ask another admin.")).toBeVisible();
  await expect(page.getByText("You cannot change your own role. Ask another admin.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Disable account" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Remove admin role" })).toHaveCount(0);
});

test.describe("not an admin", () => {
  // The 404 itself; a Content-Security-Policy violation or any other error still fails the test.
  test.use({ expectedConsoleErrors: [/Failed to load resource: the server responded with a status of 404/] });

  test("a signed-in user who is not an admin gets the not-found page, under one top bar", async ({ page }) => {
    await signUpAndVerify(page.request, uniqueEmail("not-admin"));
    // The last is the site-wide 404, for comparison: each route group draws its own top bar, and the
    // site-wide one names no one (app/not-found.tsx says why).
    for (const [path, named] of [
      ["/admin", true],
      ["/admin/users/00000000-0000-4000-8000-000000000000", true],
      ["/no-such-page", false],
    ] as const) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await expect(page.getByText("This page could not be found.")).toBeVisible();
      await expect(page.getByRole("banner"), path).toHaveCount(1);
      await expect(page.getByRole("banner").getByRole("button", { name: "Sign out" }), path).toHaveCount(named ? 1 : 0);
    }
    await expect(page.getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("search, open an account, end its sessions and change its role with plain HTML forms", async ({ page, request }) => {
    const user = await signUpAndVerify(request, uniqueEmail("promoted"), "Pat Promoted");
    await signInAsAdmin(page);
    await openAccount(page, user.email.toUpperCase(), user.name);
    await expect(page.getByRole("list", { name: "Signed-in devices" }).getByRole("listitem")).toHaveCount(1);
    await page.getByRole("button", { name: "End all sessions" }).click();
    await expect(page.getByText("No device is signed in.")).toBeVisible();
    expect((await request.get("/api/me")).status()).toBe(401);

    await page.getByRole("button", { name: "Make admin" }).click();
    await expect(page.getByRole("button", { name: "Remove admin role" })).toBeVisible();
    await expect(page.getByRole("list", { name: "Security activity" }).getByRole("listitem").first()).toContainText(
      "An administrator changed the role to admin",
    );
  });
});
