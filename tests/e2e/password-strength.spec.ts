import { expect, test } from "./support/fixtures";

test("the signup form hints at password strength as the user types", async ({ page }) => {
  await page.goto("/signup");
  const password = page.getByLabel("Password", { exact: true });
  const hint = page.getByTestId("password-strength");
  await expect(hint).toHaveCount(0);
  await password.fill("short");
  await expect(hint).toContainText("Too short");
  await password.fill("aaaaaaaaaaaaaaaa");
  await expect(hint).toContainText("Weak");
  await password.fill("violet kettle under marble sky");
  await expect(hint).toContainText("Strong");
});
