import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { test as base, expect } from "./support/fixtures";
import { extendAccessToken } from "./support/access-token";
import { APP_URL } from "./support/servers";
import { signInAsAdmin } from "./support/sign-in";
import { signUpAndVerify, uniqueEmail } from "./support/users";

// An API key's life in Chromium: made on /account, shown once, used by a
// script (here fetch from the page, with no cookies), revoked on /account,
// then refused.

/** The key owner's own browser, apart from the admin's, from an address of its own. */
const test = base.extend<{ other: Page }>({
  other: async ({ browser }, use) => {
    const context = await browser.newContext({ baseURL: APP_URL, extraHTTPHeaders: { "x-forwarded-for": `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}` } });
    await use(await context.newPage());
    await context.close();
  },
});

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
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("deploy script");
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

test("an admin sees a user's key on /admin/users/[id] and revokes it; the owner's key is refused and their activity says so", async ({ page, other }) => {
  const owner = await signUpAndVerify(other.request, uniqueEmail("api-keys-admin"), "Kim Keyholder");
  await extendAccessToken(other);
  const created = await other.request.post("/api/auth/api-keys", { data: { name: "nightly backup", scopes: ["me:read"], expiresInDays: 30 } });
  expect(created.status()).toBe(201);
  const { apiKey, key } = (await created.json()) as { apiKey: { prefix: string }; key: string };
  const userId = ((await (await other.request.get("/api/me")).json()) as { user: { id: string } }).user.id;

  await signInAsAdmin(page);
  await page.goto(`/admin/users/${userId}`);
  const row = page.getByRole("list", { name: "API keys" }).getByRole("listitem").filter({ hasText: "nightly backup" });
  await expect(row).toContainText(apiKey.prefix);
  expect(await page.content()).not.toContain(key.slice(10));
  expect((await meWithKey(page, key)).status).toBe(200);

  await row.getByRole("button", { name: "Revoke nightly backup" }).click();
  await expect(page.getByRole("list", { name: "API keys" })).toHaveCount(0);
  await expect(page.getByText("No API keys.")).toBeVisible();
  const refused = await meWithKey(page, key);
  expect(refused.status).toBe(401);

  await other.goto("/account");
  await expect(other.getByRole("list", { name: "Security activity" }).getByRole("listitem").first()).toContainText(
    "An administrator revoked the API key “nightly backup”",
  );
  expect(owner.email).toContain("api-keys-admin");
});
