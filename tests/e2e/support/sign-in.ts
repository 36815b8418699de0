import { expect, type Page, type Response } from "@playwright/test";
import { extendAccessToken } from "./access-token";
import { E2E_ADMIN } from "./admin";
import { APP_URL } from "./servers";
import { PASSWORD } from "./users";

/** Through the sign-in page, as a person does; where it lands is the caller's to check. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Through the sign-up page with PASSWORD, up to "Check your email"; resolves to the page's own response. */
export async function signUpThroughPage(page: Page, name: string, email: string): Promise<Response | null> {
  const response = await page.goto("/signup");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  return response;
}

/** The admin made with `npm run user` before the server started, with a production-lifetime access token. */
export async function signInAsAdmin(page: Page): Promise<void> {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await extendAccessToken(page);
}
