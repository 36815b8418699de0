import { afterEach, describe, expect, it } from "vitest";
import { resolveApiTarget, UnlistedApiOriginError } from "@/lib/auth/call-api";
import { ConfigError, resetEnvCache } from "@/lib/env";

const saved = { INTERNAL_URL: process.env.INTERNAL_URL, DOWNSTREAM_API_ORIGINS: process.env.DOWNSTREAM_API_ORIGINS };

function configure(values: { INTERNAL_URL?: string; DOWNSTREAM_API_ORIGINS?: string }): void {
  Object.assign(process.env, values);
  resetEnvCache();
}

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
});

describe("resolveApiTarget: where callApi may send the user's access token", () => {
  it("sends a path to Doorman's own INTERNAL_URL", () => {
    configure({ INTERNAL_URL: "http://127.0.0.1:3000", DOWNSTREAM_API_ORIGINS: "" });
    expect(resolveApiTarget("/api/me?x=1").toString()).toBe("http://127.0.0.1:3000/api/me?x=1");
  });

  it("sends a full URL only to a listed origin", () => {
    configure({ DOWNSTREAM_API_ORIGINS: "https://api.example.com, https://billing.example.com" });
    expect(resolveApiTarget("https://billing.example.com/v1/invoices").origin).toBe("https://billing.example.com");
  });

  it.each([
    "https://evil.example/steal",
    "//evil.example/steal",
    "/\\evil.example/steal",
    "https://api.example.com.evil.example/",
    "http://api.example.com/", // the scheme is part of the origin
    "https://user@evil.example/",
    "javascript:alert(1)",
    "not a url",
  ])("refuses %s", (target) => {
    configure({ DOWNSTREAM_API_ORIGINS: "https://api.example.com" });
    expect(() => resolveApiTarget(target)).toThrow(UnlistedApiOriginError);
  });

  it("refuses a configured value that is not a bare origin", () => {
    configure({ DOWNSTREAM_API_ORIGINS: "https://api.example.com/v1" });
    expect(() => resolveApiTarget("/api/me")).toThrow(ConfigError);
  });
});
