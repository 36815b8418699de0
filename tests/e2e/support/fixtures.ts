import { randomBytes } from "node:crypto";
import { test as base, expect } from "@playwright/test";

// console.error during a test is a failure unless the test expects
// it. Every browser context a test uses reports console errors and uncaught
// page errors; tests that only speak HTTP launch no browser at all. A test
// that expects some (Chromium logs every 404 document it loads) says which
// with `test.use({ expectedConsoleErrors: [/…/] })`. Each browser context is
// its own client address (the app trusts X-Forwarded-For here, as behind a
// proxy), so the real per-IP limits apply per simulated person, never to the
// whole suite at once.

export const test = base.extend<{ expectedConsoleErrors: RegExp[] }>({
  expectedConsoleErrors: [[], { option: true }],
  context: async ({ context, expectedConsoleErrors }, use) => {
    await context.setExtraHTTPHeaders({ "x-forwarded-for": `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}` });
    const errors: string[] = [];
    context.on("console", (message) => {
      if (message.type() === "error") errors.push(`${message.location().url}: ${message.text()}`);
    });
    context.on("weberror", (error) => errors.push(`uncaught: ${error.error().message}`));
    await use(context);
    const unexpected = errors.filter((error) => !expectedConsoleErrors.some((pattern) => pattern.test(error)));
    expect(unexpected, "console errors in the browser").toEqual([]);
  },
});

export { expect };
