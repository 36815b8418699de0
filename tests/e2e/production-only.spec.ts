import { expect, test } from "@playwright/test";

// The e2e server runs `next start` (NODE_ENV=production): development-only pages must not exist.
test("the development mailbox does not exist in production", async ({ request }) => {
  const response = await request.get("/dev/mailbox");
  expect(response.status()).toBe(404);
  expect(await response.text()).toContain("This page could not be found.");
});
