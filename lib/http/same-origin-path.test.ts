import { describe, expect, it } from "vitest";
import { sameOriginPath } from "@/lib/http/same-origin-path";

const ORIGIN = "http://127.0.0.1:3000";

describe("sameOriginPath: a path on our own origin, judged after resolving", () => {
  it.each(["/api/me", "/api/me?q=a%20b#x", "/caf%C3%A9", "/café"])("keeps %j on the origin", (value) => {
    expect(sameOriginPath(value, ORIGIN)?.origin).toBe(ORIGIN);
  });

  it.each([
    "//evil.example/x",
    "/\\evil.example/x",
    "/.//evil.example/x",
    "/\t/evil.example/x",
    "/\n/evil.example/x",
    "/\r\n/evil.example/x",
    "/ /evil.example/x",
    "/api/me\u0000",
    "/api/\u3000me",
    "https://evil.example/x",
    "api/me",
    "",
  ])("refuses %j", (value) => {
    expect(sameOriginPath(value, ORIGIN)).toBeNull();
  });
});
