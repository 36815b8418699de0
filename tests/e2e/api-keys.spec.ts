import type { Page } from "@playwright/test";
import { test, expect } from "./support/fixtures";
import { extendAccessToken } from "./support/access-token";
import { signUpAndVerify, uniqueEmail } from "./support/users";

// An API key's life in Chromium: made on /account, shown once, used by a
// script (here fetch from the page, with no cookies), revoked on /account,
// then refused.

// The refused fetch at the end: Chromium logs every non-2xx resource it loads.
test.use({ expectedConsoleErrors: [/status of 401/] });
test.describe.configure({ timeout: 60_000 });

const KEY_PATTERN = /^dmn_[0-9A-Za-z]{49}$/;

/** GET /api/me as a script would call it: the key in Authorization, no cookies. */
async function meWithKey(page: Page, key: string): Promise<{ status: number; body: { user?: { email: string }; error?: { code: string } } }> {
  return page.evaluate(async (key) => {
    const response = await fetch("/api/me", { headers: { authorization: `Bearer ${key}` }, credentials: "omit" });
    return { status: response.status, body: await response.json() };
  }, key);
}

test("create a key on /account, see it once, use it, revoke it, see it refused", async ({ page }) => {
  const user = await signUpAndVerify(page.request, uniqueEmail("api-keys"));
  await extendAccessToken(page);
  await page.goto("/account");

  const keys = page.getByRole("list", { name: "API keys" });
  await expect(page.getByText("No API keys.")).toBeVisible();
  await page.getByRole("textbox", { name: "Name" }).fill("deploy script");
  await page.getByLabel("Expires after").selectOption("90");
  await page.getByRole("checkbox", { name: /sessions:read/ }).check();
  await page.getByRole("button", { name: "Create API key" }).click();

  const status = page.getByRole("status").filter({ hasText: "you will not see it again" });
  await expect(status).toBeVisible();
  const key = await page.getByRole("textbox", { name: "New API key" }).inputValue();
  expect(key).toMatch(KEY_PATTERN);
  const row = keys.getByRole("listitem").filter({ hasText: "deploy script" });
  await expect(row).toContainText(key.slice(0, 10));
  await expect(row).toContainText("me:read, sessions:read");

  const used = await meWithKey(page, key);
  expect(used.status).toBe(200);
  expect(used.body.user?.email).toBe(user.email);

  // Shown once: a fresh view of the page has the prefix, never the key, and now when it was last used.
  await page.reload();
  await expect(page.getByRole("textbox", { name: "New API key" })).toHaveCount(0);
  expect(await page.content()).not.toContain(key.slice(10));
  await expect(row).toContainText(key.slice(0, 10));
  await expect(row.getByText(/Last used/)).toBeVisible();
  await expect(row).not.toContainText("Never");

  await row.getByRole("button", { name: "Revoke deploy script" }).click();
  await expect(page.getByText("No API keys.")).toBeVisible();

  const refused = await meWithKey(page, key);
  expect(refused.status).toBe(401);
  expect(refused.body.error?.code).toBe("invalid_api_key");
});
