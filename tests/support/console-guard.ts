import { afterEach, beforeEach, vi } from "vitest";

/** console.error during a test is a failure unless the test expects it (expectConsoleError). */
let expected = 0;
let errors: unknown[][] = [];

export function failOnConsoleError(): void {
  beforeEach(() => {
    expected = 0;
    errors = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      errors.push(args);
    });
    // Structured info/warn lines are the product working; keep test output readable.
    vi.spyOn(console, "info").mockImplementation(() => {});
    vi.spyOn(console, "warn").mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
    if (errors.length > expected) {
      throw new Error(`Unexpected console.error during the test:\n${errors.map((a) => a.map(String).join(" ")).join("\n")}`);
    }
  });
}

export function expectConsoleError(count = 1): void {
  expected += count;
}
