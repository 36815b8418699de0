import type { Page } from "@playwright/test";
import { test, expect } from "./support/fixtures";
import { linkIn, mailbox } from "./support/mailbox";
import { APP_URL } from "./support/servers";
import { signIn } from "./support/sign-in";
import { PASSWORD, signUp, uniqueEmail } from "./support/users";

// A person who lost (or let expire) their confirmation email asks for a new
// one, from the sign-in form or from a confirmation link that no longer works.
// The answer never says whether the address has an account.

const ANSWER = "If that address needs confirming, a new link is on its way.";

async function confirm(page: Page, link: URL): Promise<void> {
  await page.goto(link.href);
  await page.getByRole("button", { name: "Confirm email" }).click();
}

// Each test signs up with page.request, which shares the browser's cookies: the
// browser that signed up holds the signup marker, and a confirmation there signs in.

test("sign-in offers a new confirmation link, which voids the first one", async ({ page }) => {
  const email = uniqueEmail("resend");
  const firstLink = await signUp(page.request, email);

  await signIn(page, email, PASSWORD);
  await expect(page.getByText("Verify your email address before signing in.")).toBeVisible();
  const seen = (await mailbox.all(email)).length;
  await page.getByRole("button", { name: "Send a new confirmation link" }).click();
  await expect(page.getByText(ANSWER)).toBeVisible();

  const secondLink = linkIn(await mailbox.next(email, seen), "/verify-email");
  expect(secondLink.href).not.toBe(firstLink.href);

  // SECURITY.md, One-time tokens: only the newest link works. Tried first, so
  // it is the new link that voided it, not the confirmation that follows.
  await page.goto(firstLink.href);
  await expect(page.getByRole("heading", { name: "This link can't be used" })).toBeVisible();

  await confirm(page, secondLink);
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  await expect(page.getByText(email)).toBeVisible();
});

test("a confirmation link that can't be used offers a new one", async ({ page }) => {
  const email = uniqueEmail("resend-dead-link");
  const link = await signUp(page.request, email);
  const seen = (await mailbox.all(email)).length;

  link.searchParams.set("token", "x".repeat(43));
  // A dead link says so before any button is pressed.
  await page.goto(link.href);
  await expect(page.getByRole("heading", { name: "This link can't be used" })).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send a new confirmation link" }).click();
  await expect(page.getByText(ANSWER)).toBeVisible();

  await confirm(page, linkIn(await mailbox.next(email, seen), "/verify-email"));
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
});

test("an unknown address gets the same answer", async ({ page }) => {
  await page.goto("/verify-email");
  await expect(page.getByRole("heading", { name: "This link can't be used" })).toBeVisible();
  await page.getByLabel("Email").fill(uniqueEmail("resend-unknown"));
  await page.getByRole("button", { name: "Send a new confirmation link" }).click();
  await expect(page.getByText(ANSWER)).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  // The page drawn after the resend post carries only that form's state; the answer must still show.
  test("sign-in offers a new confirmation link", async ({ page }) => {
    const email = uniqueEmail("resend-nojs");
    await signUp(page.request, email);
    await signIn(page, email, PASSWORD);
    await expect(page.getByText("Verify your email address before signing in.")).toBeVisible();
    const seen = (await mailbox.all(email)).length;
    await page.getByRole("button", { name: "Send a new confirmation link" }).click();
    await expect(page.getByText(ANSWER)).toBeVisible();
    await confirm(page, linkIn(await mailbox.next(email, seen), "/verify-email"));
    await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  });
});
