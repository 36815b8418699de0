import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { decodeBase32, totpCode } from "../../lib/auth/second-factor/totp";
import { expect, test as base } from "./support/fixtures";
import { mailbox } from "./support/mailbox";
import { APP_URL } from "./support/servers";
import { signInAsAdmin } from "./support/sign-in";
import { signUpAndVerify, uniqueEmail } from "./support/users";

// The admin console and second factors: an admin removes a user's lost
// authenticator (the user is told and signs in with the password alone), and
// /admin/settings will not let an admin who has no second factor require one
// of every admin. The policy switched on is tested on an app of its own in
// tests/e2e/step-up.spec.ts (and through the API in
// tests/integration/step-up.test.ts): here it would hold back the suite's own
// admin, whom other tests share.

/** The user's own browser, apart from the admin's, from an address of its own. */
const test = base.extend<{ owner: Page }>({
  owner: async ({ browser }, use) => {
    const context = await browser.newContext({ baseURL: APP_URL, extraHTTPHeaders: { "x-forwarded-for": `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}` } });
    await use(await context.newPage());
    await context.close();
  },
});
test.describe.configure({ timeout: 90_000 });

test("an admin resets a user's second factors: recorded, the user emailed, the password alone signs in", async ({ page, owner }) => {
  const user = await signUpAndVerify(owner.request, uniqueEmail("admin-reset"), "Lost Authenticator");
  const begun = await owner.request.post("/api/auth/totp");
  expect(begun.status(), await begun.text()).toBe(200);
  const secret = decodeBase32(((await begun.json()) as { secret: string }).secret)!;
  const confirmed = await owner.request.post("/api/auth/totp/confirm", { data: { code: totpCode(secret, new Date()) } });
  expect(confirmed.status(), await confirmed.text()).toBe(200);
  const signInAsOwner = () => owner.request.post("/api/auth/login", { data: { email: user.email, password: user.password } });
  expect((await signInAsOwner()).status(), "two steps while the authenticator is on").toBe(401);

  await signInAsAdmin(page);
  await page.goto("/admin?query=" + encodeURIComponent(user.email));
  await page.getByRole("table", { name: `Accounts matching ${user.email}` }).getByRole("link", { name: "Lost Authenticator" }).click();
  await expect(page.getByRole("definition").filter({ hasText: "authenticator app" })).toBeVisible();
  const mailsBefore = (await mailbox.all(user.email)).length;
  await page.getByRole("button", { name: "Reset second factors" }).click();
  await expect(page.getByText("This account has no authenticator app or passkey.")).toBeVisible();
  await expect(page.getByText("An administrator removed the account's second factors and passkeys")).toBeVisible();

  const notice = await mailbox.next(user.email, mailsBefore);
  expect(notice.subject).toBe("An administrator removed your second factors");
  expect((await signInAsOwner()).status(), "the password alone signs in again").toBe(200);
});

test("/admin/settings refuses to require a second factor of admins from an admin who has none", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/admin/settings");
  await expect(page.getByText("Now: Off")).toBeVisible();
  await expect(page.getByText("To turn it on, first sign in with a second factor yourself")).toBeVisible();
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Sign in with a second factor yourself before you require one of every admin" })).toBeVisible();
  await page.reload();
  await expect(page.getByText("Now: Off")).toBeVisible();
});
