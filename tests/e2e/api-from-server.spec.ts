import { expect, test } from "./support/fixtures";
import { signUpAndVerify, uniqueEmail } from "./support/users";

test("the dashboard calls the API on the server with the user's token: a new device shows up in its count", async ({ page, request }) => {
  const user = await signUpAndVerify(page.request, uniqueEmail("bff"));
  await page.goto("/dashboard");
  await expect(page.getByTestId("api-device-count")).toHaveText("1");

  // A second device, signed in natively: the API (not the JWT) knows of it.
  const native = await request.post("/api/auth/token", {
    form: { grant_type: "password", username: user.email, password: user.password },
    headers: { "x-forwarded-for": "198.51.100.77" },
  });
  expect(native.status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("api-device-count")).toHaveText("2");
});
