import type { Page } from "@playwright/test";
import { test, expect } from "./support/fixtures";
import { ACCESS_COOKIE, DEVICE_COOKIE, REFRESH_COOKIE, WEBAUTHN_COOKIE } from "./support/cookies";
import { linkIn, mailbox } from "./support/mailbox";
import { APP_URL } from "./support/servers";
import { signIn } from "./support/sign-in";
import { signUpAndVerify, uniqueEmail } from "./support/users";

// Forgot password → emailed link → new password. The account is made over the
// HTTP API, whose cookies stay in that API client: the browser starts signed
// out, and the API client stands for "another device".

const NEW_PASSWORD = "a brand new passphrase for doorman";

async function askForResetLink(page: Page, email: string): Promise<void> {
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
}

async function setNewPassword(page: Page, password: string): Promise<void> {
  await page.getByLabel("New password").fill(password);
  await page.getByRole("button", { name: "Set new password" }).click();
}

test("reset the password from the emailed link, then only the new password signs in", async ({ page, context, request }) => {
  const user = await signUpAndVerify(request, uniqueEmail("reset"));
  expect((await request.get("/api/auth/session")).status()).toBe(200);

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(`${APP_URL}/forgot-password`);
  const seen = (await mailbox.all(user.email)).length;
  await askForResetLink(page, user.email);
  await expect(page.getByText(`If an account exists for ${user.email}`)).toContainText("30 minutes");

  const message = await mailbox.next(user.email, seen);
  expect(message.subject).toBe("Reset your password");
  const link = linkIn(message, "/reset-password");
  expect(link.origin).toBe(APP_URL);

  // SECURITY.md: the token in the URL must not leave in a Referer header.
  const opened = await page.goto(link.href);
  expect(opened!.headers()["referrer-policy"]).toBe("no-referrer");
  await expect(page.locator('meta[name="referrer"]')).toHaveAttribute("content", "no-referrer");
  await expect(page.getByText("At least 12 characters.")).toBeVisible();
  await setNewPassword(page, NEW_PASSWORD);
  await expect(page.getByRole("heading", { name: "Password changed" })).toBeVisible();
  await expect(page.getByText("every device that was signed in to your account has been signed out")).toBeVisible();
  // SECURITY.md: no automatic sign-in after a reset. (The passkey ceremony /login began for its autofill grants nothing.)
  expect((await context.cookies()).filter((cookie) => cookie.name.startsWith("doorman") && cookie.name !== WEBAUTHN_COOKIE)).toEqual([]);
  // And the other device's session ended.
  expect((await request.get("/api/auth/session")).status()).toBe(401);

  await page.getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${APP_URL}/login`);
  await signIn(page, user.email, user.password);
  await expect(page.getByText("The email or password is incorrect.")).toBeVisible();
  await signIn(page, user.email, NEW_PASSWORD);
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  expect((await context.cookies()).map((cookie) => cookie.name).filter((name) => name !== WEBAUTHN_COOKIE).sort()).toEqual([ACCESS_COOKIE, DEVICE_COOKIE, REFRESH_COOKIE]);

  // The link worked once.
  await page.goto(link.href);
  await setNewPassword(page, "yet another passphrase entirely");
  await expect(page.getByRole("heading", { name: "This link can't be used" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Request a new link" })).toHaveAttribute("href", "/forgot-password");
});

// SECURITY.md, Login and enumeration: forgot-password answers identically for existing and unknown emails.
test("an unknown address gets the same answer as a known one", async ({ page, request }) => {
  const known = (await signUpAndVerify(request, uniqueEmail("reset-known"))).email;
  const unknown = uniqueEmail("reset-unknown");
  const answers: string[] = [];
  for (const email of [known, unknown]) {
    await askForResetLink(page, email);
    answers.push((await page.getByRole("main").innerText()).replace(email, "<email>"));
  }
  expect(answers[1]).toBe(answers[0]);
  expect(answers[0]).toContain("If an account exists for <email>");
});

test("a reset link without its token explains itself and offers a new one", async ({ page }) => {
  await page.goto("/reset-password");
  await expect(page.getByRole("heading", { name: "This link can't be used" })).toBeVisible();
  await page.getByRole("link", { name: "Request a new link" }).click();
  await expect(page).toHaveURL(`${APP_URL}/forgot-password`);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  // The reset page sends Referrer-Policy: no-referrer, so its plain form post carries `Origin: null` (docs/decisions/0005).
  test("the whole reset works as plain form posts", async ({ page, request }) => {
    const user = await signUpAndVerify(request, uniqueEmail("reset-nojs"));
    const seen = (await mailbox.all(user.email)).length;
    await askForResetLink(page, user.email);
    const link = linkIn(await mailbox.next(user.email, seen), "/reset-password");

    await page.goto(link.href);
    const formPost = page.waitForRequest((r) => r.method() === "POST" && r.resourceType() === "document");
    await setNewPassword(page, NEW_PASSWORD);
    expect(await (await formPost).headerValue("origin")).toBe("null");
    await expect(page.getByRole("heading", { name: "Password changed" })).toBeVisible();

    await signIn(page, user.email, NEW_PASSWORD);
    await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  });
});
