import { randomBytes } from "node:crypto";
import type { BrowserContext, Page } from "@playwright/test";
import { test as base, expect } from "./support/fixtures";
import { extendAccessToken } from "./support/access-token";
import { APP_URL } from "./support/servers";
import { signUpAndVerify, uniqueEmail } from "./support/users";
import { addVirtualAuthenticator } from "./support/virtual-authenticator";

// A passkey's life in Chromium, with the DevTools virtual authenticator
// standing in for a platform authenticator (a fingerprint reader that always
// says yes): made on /account, used from /login after signing out, useless to
// a browser that does not hold it, then removed. WebAuthn needs a secure
// context: http://localhost is one (an IP address would not be).

async function signOut(page: Page): Promise<void> {
  await page.goto("/dashboard");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).not.toHaveURL(/\/dashboard/);
}

/** Another person's browser, from an address of its own, with nothing in its authenticator. */
const test = base.extend<{ stranger: Page }>({
  stranger: async ({ browser }, use) => {
    const context: BrowserContext = await browser.newContext({
      baseURL: APP_URL,
      extraHTTPHeaders: { "x-forwarded-for": `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}` },
    });
    await use(await context.newPage());
    await context.close();
  },
});

// The stranger's refused sign-in: Chromium logs every non-2xx resource it loads.
test.use({ expectedConsoleErrors: [/status of 400/] });
test.describe.configure({ timeout: 60_000 });

test("add a passkey on /account, sign out, sign in with it from /login, then remove it", async ({ page, stranger }) => {
  const authenticator = await addVirtualAuthenticator(page);
  const user = await signUpAndVerify(page.request, uniqueEmail("passkeys"));
  await extendAccessToken(page);

  await page.goto("/account");
  const passkeys = page.getByRole("list", { name: "Passkeys" });
  await expect(page.getByText("No passkeys yet.")).toBeVisible();
  await page.getByLabel("Passkey name").fill("Work laptop");
  await page.getByRole("button", { name: "Add passkey" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Passkey “Work laptop” added" })).toBeVisible();
  await expect(passkeys.getByRole("listitem")).toHaveCount(1);
  await expect(passkeys.getByRole("listitem")).toContainText("Work laptop");
  await expect(passkeys.getByRole("listitem")).toContainText("Never");
  expect(await authenticator.credentials()).toHaveLength(1);

  // Signed out, then back in with the passkey alone: no email, no password.
  // Chromium offers it in the email field's autofill, and the virtual
  // authenticator (always present) picks it at once: /login signs in by itself.
  // Cookies dropped rather than "Sign out": signing out lands on /login, whose autofill would sign straight back in.
  await page.context().clearCookies();
  // Only until the response starts: the autofill may sign in and navigate away before /login's load event.
  await page.goto("/login?next=%2Faccount", { waitUntil: "commit" });
  await expect(page).toHaveURL(`${APP_URL}/account`);
  await expect(page.getByRole("list", { name: "Security activity" }).getByRole("listitem").first()).toContainText("Signed in with a passkey");

  // The button, in a browser that offers no passkey autofill (from before signing out, which lands on /login).
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
  await signOut(page);
  await page.goto("/login?next=%2Faccount");
  await expect(page.getByLabel("Email")).toHaveAttribute("autocomplete", "username webauthn");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL(`${APP_URL}/account`);
  await expect(page.getByText(user.email).first()).toBeVisible();
  await expect(page.getByRole("list", { name: "Security activity" }).getByRole("listitem").first()).toContainText("Signed in with a passkey");
  await expect(passkeys.getByRole("listitem")).not.toContainText("Never");

  // A browser that does not hold the passkey gets nowhere.
  await addVirtualAuthenticator(stranger);
  await stranger.goto("/login");
  await stranger.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(stranger.getByRole("alert").filter({ hasText: /cancelled|could not be verified/ })).toBeVisible();
  await expect(stranger).toHaveURL(`${APP_URL}/login`);

  // Removed (the sign-in a moment ago is recent enough for the step-up).
  await extendAccessToken(page);
  await page.goto("/account");
  await page.getByRole("button", { name: "Remove Work laptop" }).click();
  await expect(page.getByText("No passkeys yet.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Security activity" }).getByRole("listitem").first()).toContainText("Passkey “Work laptop” removed");
});
