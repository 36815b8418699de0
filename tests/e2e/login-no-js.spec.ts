import type { Page } from "@playwright/test";
import { test, expect } from "./support/fixtures";
import { APP_URL } from "./support/servers";
import { signUpAndVerify, uniqueEmail, type TestUser } from "./support/users";

// Contract, Pages: forms work without client JavaScript (server actions
// posted as plain HTML forms). The account is made over the HTTP API, whose
// cookies stay in the API client, so the browser starts signed out.

test.use({ javaScriptEnabled: false });

let user: TestUser;
test.beforeEach(async ({ request }) => {
  user = await signUpAndVerify(request, uniqueEmail("nojs"));
});

async function signIn(page: Page, password = user.password): Promise<void> {
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("signs in and lands on the dashboard", async ({ page }) => {
  await page.goto("/login");
  // A plain HTML form post (a document request), not a fetch from client code.
  const formPost = page.waitForRequest((request) => request.method() === "POST" && request.resourceType() === "document");
  await signIn(page);
  expect(new URL((await formPost).url()).pathname).toBe("/login");
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByText(user.email)).toBeVisible();
});

test("a wrong password is refused with one sentence and no cookies", async ({ page, context }) => {
  await page.goto("/login");
  await signIn(page, "not the right password");
  await expect(page.getByText("The email or password is incorrect.")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  expect((await context.cookies()).filter((cookie) => cookie.name.startsWith("doorman"))).toEqual([]);
});

test("a protected page sends you to sign in and back again (?next=)", async ({ page }) => {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(`${APP_URL}/login?next=%2Fdashboard`);
  await signIn(page);
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await expect(page.getByText(user.email)).toBeVisible();
});

// SECURITY.md, Redirects: next= keeps our origin whatever it is given.
test("next= values that point elsewhere land on the dashboard", async ({ page, context }) => {
  for (const next of ["//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example/", "https:evil.example", "javascript:alert(1)"]) {
    await test.step(JSON.stringify(next), async () => {
      await context.clearCookies();
      await page.goto(`/login?next=${encodeURIComponent(next)}`);
      await signIn(page);
      await expect(page).toHaveURL(`${APP_URL}/dashboard`);
    });
  }
});
