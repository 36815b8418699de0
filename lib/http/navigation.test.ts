import { describe, expect, it } from "vitest";
import { isNavigation } from "@/lib/http/navigation";

describe("isNavigation", () => {
  it.each([
    [{ "sec-fetch-mode": "navigate" }, true],
    [{}, true],
    [{ "sec-fetch-mode": "cors" }, false],
    [{ "sec-fetch-mode": "no-cors" }, false],
    [{ "sec-fetch-mode": "same-origin" }, false],
  ])("%o → %s", (headers, expected) => {
    expect(isNavigation(new Headers(headers))).toBe(expected);
  });
});
