import { test as base, expect } from "@playwright/test";

// STYLE.md: console.error during a test is a failure unless the test expects
// it. Every browser context a test uses reports console errors and uncaught
// page errors; tests that only speak HTTP launch no browser at all. A test
// that expects some (Chromium logs every 404 document it loads) says which
// with `test.use({ expectedConsoleErrors: [/…/] })`.

export const test = base.extend<{ expectedConsoleErrors: RegExp[] }>({
  expectedConsoleErrors: [[], { option: true }],
  context: async ({ context, expectedConsoleErrors }, use) => {
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
