import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { test, expect } from "./support/fixtures";
import { extendAccessToken } from "./support/access-token";
import { E2E_ADMIN } from "./support/admin";
import { linkIn, mailbox } from "./support/mailbox";
import { signIn, signInAsAdmin } from "./support/sign-in";
import { PASSWORD, signUp, signUpAndVerify, uniqueEmail } from "./support/users";
import { decodeBase32, totpCode } from "../../lib/auth/second-factor/totp";

// Every page, signed out and signed in (the admin console as an admin), in
// the states a person meets: as first opened, after a form sent with invalid
// input, with a link that can't be used, and not found. Each state is reached
// the way a person reaches it, its heading or message checked so we know it
// is the state named, then axe-core checks what the browser rendered against
// WCAG 2.1 A and AA and axe's best practices. No rule is turned off; one that
// must be gets its reason written beside it.

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

type Violation = Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"][number];

/** The rule, its impact, then each element it found with what is wrong there: readable in the test's output. */
function describeViolation(violation: Violation): string {
  const elements = violation.nodes.map((node) => {
    const why = (node.failureSummary ?? "").split("\n").slice(1).map((line) => line.trim()).join(" ");
    return `\n  ${node.target.join(" ")}: ${why}`;
  });
  return `${violation.id} (${violation.impact}): ${violation.help}${elements.join("")}`;
}

async function expectAccessible(page: Page, state: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  expect(violations.map(describeViolation), `axe-core on ${state} (${page.url()})`).toEqual([]);
}

/** Opens `path`, waits for its top heading, then checks it. */
async function expectAccessiblePage(page: Page, path: string, heading: string | RegExp): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  await expectAccessible(page, path);
}

const submit = (page: Page, name: string) => page.getByRole("button", { name, exact: true }).click();

// Several bcrypt hashes and a dozen axe runs per test, on a machine shared with the app and Chromium.
test.describe.configure({ timeout: 90_000 });

test("signed out: the home page and every sign-in, sign-up and email-link page as first opened", async ({ page }) => {
  await expectAccessiblePage(page, "/", "The front door for your Next.js app.");
  await expectAccessiblePage(page, "/login", "Sign in to Doorman");
  await expectAccessiblePage(page, "/signup", "Create your account");
  await page.getByLabel("Password", { exact: true }).fill("violet kettle under marble sky");
  await expect(page.getByTestId("password-strength")).toContainText("Strong");
  await expectAccessible(page, "/signup with the strength hint showing");
  await expectAccessiblePage(page, "/forgot-password", "Reset your password");
  // Neither page reads its token before the form is sent (mail scanners open links).
  await expectAccessiblePage(page, "/reset-password?token=not-a-real-token", "Choose a new password");
  await expectAccessiblePage(page, "/reset-password", "This link can't be used");
  await expectAccessiblePage(page, "/verify-email?token=not-a-real-token", "This link can't be used");
  await expectAccessiblePage(page, "/verify-email", "This link can't be used");
});

test("sign-in: an empty form, a wrong password, and an unconfirmed address offered a new link", async ({ page, request }) => {
  await expectAccessiblePage(page, "/login", "Sign in to Doorman");
  await submit(page, "Sign in");
  await expect(page.getByText("Check the 2 highlighted fields.")).toBeVisible();
  await expectAccessible(page, "/login sent empty");

  await signIn(page, uniqueEmail("a11y-nobody"), "not the password at all");
  await expect(page.getByText("The email or password is incorrect.")).toBeVisible();
  await expectAccessible(page, "/login with a wrong password");

  const unconfirmed = uniqueEmail("a11y-unconfirmed");
  await signUp(request, unconfirmed);
  await signIn(page, unconfirmed, PASSWORD);
  await expect(page.getByText("Verify your email address before signing in.")).toBeVisible();
  await expectAccessible(page, "/login for an unconfirmed address");
  await submit(page, "Send a new confirmation link");
  await expect(page.getByText("If that address needs confirming, a new link is on its way.")).toBeVisible();
  await expectAccessible(page, "/login after asking for a new confirmation link");
});

test("sign-up: an empty form, invalid input, and the answer", async ({ page }) => {
  await expectAccessiblePage(page, "/signup", "Create your account");
  await submit(page, "Create account");
  await expect(page.getByText("Check the 3 highlighted fields.")).toBeVisible();
  await expectAccessible(page, "/signup sent empty");

  await page.getByLabel("Name").fill("Ada Lovelace");
  await page.getByLabel("Email").fill("not an address");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await submit(page, "Create account");
  await expect(page.getByText("Check the 2 highlighted fields.")).toBeVisible();
  await expectAccessible(page, "/signup with an invalid address and too short a password");

  await page.getByLabel("Email").fill(uniqueEmail("a11y-signup"));
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await submit(page, "Create account");
  await expect(page.getByRole("heading", { level: 1, name: "Check your email" })).toBeVisible();
  await expectAccessible(page, "/signup's answer");
});

test("forgotten password: invalid input, the answer, the reset link's errors, a new password, and the used link", async ({ page, request }) => {
  const user = await signUpAndVerify(request, uniqueEmail("a11y-reset"));
  await expectAccessiblePage(page, "/forgot-password", "Reset your password");
  await page.getByLabel("Email").fill("not an address");
  await submit(page, "Send reset link");
  await expect(page.getByText("Check the highlighted field.")).toBeVisible();
  await expectAccessible(page, "/forgot-password with an invalid address");

  await page.getByLabel("Email").fill(user.email);
  await submit(page, "Send reset link");
  await expect(page.getByRole("heading", { level: 1, name: "Check your email" })).toBeVisible();
  await expectAccessible(page, "/forgot-password's answer");

  const link = linkIn(await mailbox.latest(user.email), "/reset-password");
  await expectAccessiblePage(page, link.href, "Choose a new password");
  await page.getByLabel("New password").fill("short");
  await submit(page, "Set new password");
  await expect(page.getByText("Check the highlighted field.")).toBeVisible();
  await expectAccessible(page, "/reset-password with too short a password");

  await page.getByLabel("New password").fill("a brand new passphrase for the reset");
  await submit(page, "Set new password");
  await expect(page.getByRole("heading", { level: 1, name: "Password changed" })).toBeVisible();
  await expectAccessible(page, "/reset-password's answer");

  // The link is used up: the page says so once the form is sent again.
  await page.goto(link.href);
  await page.getByLabel("New password").fill("another brand new passphrase");
  await submit(page, "Set new password");
  await expect(page.getByRole("heading", { level: 1, name: "This link can't be used" })).toBeVisible();
  await expectAccessible(page, "/reset-password with a used link");
});

test("confirmation links: opened in another browser, a wrong password, confirmed, then used up with a new one asked for", async ({ page, request }) => {
  // Signed up through `request`: the page is another browser, so it is asked for the password.
  const email = uniqueEmail("a11y-confirm");
  const link = await signUp(request, email);
  await expectAccessiblePage(page, link.href, "Confirm your email");
  await expect(page.getByLabel("Password chosen at sign-up (optional)")).toBeVisible();
  await page.getByLabel("Password chosen at sign-up (optional)").fill("not the password at all");
  await submit(page, "Confirm email");
  await expect(page.getByText("This is not the password chosen at sign-up.")).toBeVisible();
  await expectAccessible(page, "/verify-email with a wrong password");

  await page.getByLabel("Password chosen at sign-up (optional)").fill("");
  await submit(page, "Confirm email");
  await expect(page.getByRole("heading", { level: 1, name: "Email confirmed" })).toBeVisible();
  await expectAccessible(page, "/verify-email's answer, signed out");

  await expectAccessiblePage(page, link.href, "This link can't be used");
  await submit(page, "Send a new confirmation link");
  await expect(page.getByText("Check the highlighted field.")).toBeVisible();
  await expectAccessible(page, "/verify-email's resend form sent empty");
  await page.getByLabel("Email").fill(email);
  await submit(page, "Send a new confirmation link");
  await expect(page.getByText("If that address needs confirming, a new link is on its way.")).toBeVisible();
  await expectAccessible(page, "/verify-email's resend answer");

  // In the browser that signed up, the link asks for nothing.
  const here = await signUp(page.request, uniqueEmail("a11y-confirm-here"));
  await expectAccessiblePage(page, here.href, "Confirm your email");
  await expect(page.getByLabel("Password chosen at sign-up (optional)")).toHaveCount(0);
});

test.describe("not found", () => {
  // The 404 itself; a Content-Security-Policy violation or any other error still fails the test.
  test.use({ expectedConsoleErrors: [/Failed to load resource: the server responded with a status of 404/] });

  // An unknown address signed out is sent to sign in: protected unless public (docs/decisions/0028).
  test("signed out: the development mailbox in production, a public address that is not there", async ({ page }) => {
    const response = await page.goto("/dev/mailbox");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expectAccessible(page, "/dev/mailbox, signed out");
  });

  test("signed in: the home page, dashboard, account and notifications pages, the forms' answers, and the 404s", async ({ page }) => {
    await signUpAndVerify(page.request, uniqueEmail("a11y-account"));
    // The password form re-renders the page after two bcrypt hashes: longer than the e2e token's 4 seconds.
    await extendAccessToken(page);
    await expectAccessiblePage(page, "/", "The front door for your Next.js app.");
    await expect(page.getByRole("link", { name: "Go to your dashboard" })).toBeVisible();
    await expectAccessiblePage(page, "/dashboard", "Dashboard");
    await expectAccessiblePage(page, "/account", "Account");
    await expectAccessiblePage(page, "/settings/notifications", "Notifications");
    await page.getByLabel("Email me when a new device signs in to my account").uncheck();
    await submit(page, "Save");
    await expect(page.getByText("Saved. New-device sign-in emails are off.")).toBeVisible();
    await expectAccessible(page, "/settings/notifications after saving");
    await page.goto("/account");

    await submit(page, "Change password");
    await expect(page.getByText("Check the 2 highlighted fields.")).toBeVisible();
    await expectAccessible(page, "/account's password form sent empty");
    await page.getByLabel("Current password").fill("not the current password");
    await page.getByLabel("New password").fill("a brand new passphrase for the account");
    await submit(page, "Change password");
    await expect(page.getByLabel("Current password")).toHaveAccessibleDescription("The current password is incorrect.");
    await expectAccessible(page, "/account with a wrong current password");
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password").fill("a brand new passphrase for the account");
    await submit(page, "Change password");
    await expect(page.getByText("Password changed. Other devices were signed out.")).toBeVisible();
    await expectAccessible(page, "/account after changing the password");

    // The console is not advertised: not an admin, not found. The site-wide 404 has a top bar of its own.
    for (const path of ["/admin", "/no-such-page"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
      await expectAccessible(page, `${path}, signed in`);
    }
  });
});

test("the admin console, as an admin: the list, a search, no match, a bad page link, an account, a disabled one, and one's own", async ({
  page,
  request,
}) => {
  const user = await signUpAndVerify(request, uniqueEmail("a11y-admin-view"), "Vera Viewed");
  await signInAsAdmin(page);
  await expectAccessiblePage(page, "/admin", "Admin");
  await expect(page.getByRole("table", { name: "Accounts" })).toBeVisible();

  await page.getByLabel("Search by email or name").fill(user.email);
  await submit(page, "Search");
  const rows = page.getByRole("table", { name: `Accounts matching ${user.email}` }).getByRole("row");
  await expect(rows).toHaveCount(2); // the header row and the one match
  await expectAccessible(page, "/admin with a search");

  await page.goto(`/admin?query=${uniqueEmail("a11y-no-match")}`);
  await expect(page.getByText("No account matches.")).toBeVisible();
  await expectAccessible(page, "/admin with no match");
  await page.goto("/admin?limit=0");
  await expect(page.getByText("Use a whole number from 1 to 100.")).toBeVisible();
  await expectAccessible(page, "/admin with a bad page link");

  await page.goto(`/admin?query=${encodeURIComponent(user.email)}`);
  await rows.getByRole("link", { name: user.name }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(user.name);
  await expect(page.getByRole("list", { name: "Signed-in devices" }).getByRole("listitem")).toHaveCount(1);
  await expectAccessible(page, "an account in the admin console");
  await submit(page, "Disable account");
  await expect(page.getByRole("button", { name: "Enable account" })).toBeVisible();
  await expectAccessible(page, "a disabled account in the admin console");

  await page.goto(`/admin?query=${encodeURIComponent(E2E_ADMIN.email)}`);
  await page.getByRole("link", { name: E2E_ADMIN.name }).click();
  await expect(page.getByText("You cannot change your own role. Ask another admin.")).toBeVisible();
  await expectAccessible(page, "the admin's own account in the admin console");
});

test("two-factor authentication: the set-up with its QR code, the recovery codes, and the second-factor page with its errors", async ({ page }) => {
  const user = await signUpAndVerify(page.request, uniqueEmail("a11y-totp"));
  await extendAccessToken(page);
  await expectAccessiblePage(page, "/account", "Account");
  await submit(page, "Set up");
  const secret = decodeBase32((await page.getByTestId("totp-secret").textContent())!.trim())!;
  await expectAccessible(page, "the set-up");
  await page.getByLabel("Code from the app").fill(totpCode(secret, new Date()));
  await submit(page, "Turn on");
  await expect(page.getByRole("list", { name: "Recovery codes" })).toBeVisible();
  await expectAccessible(page, "the recovery codes");

  await page.context().clearCookies();
  await signIn(page, user.email, user.password);
  await expect(page.getByRole("heading", { level: 1, name: "Two-factor authentication" })).toBeVisible();
  await expectAccessible(page, "the second-factor page");
  await submit(page, "Continue");
  await expect(page.getByText("Enter the code.").first()).toBeVisible();
  await expectAccessible(page, "the second-factor page, empty");
  await page.getByRole("link", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill("aaaa-bbbb-cccc-dddd");
  await submit(page, "Continue");
  await expect(page.getByText("The code is incorrect or has already been used.").first()).toBeVisible();
  await expectAccessible(page, "the second-factor page, a wrong recovery code");
});
