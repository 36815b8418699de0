import { afterEach, describe, expect, it } from "vitest";
import { RefusedApiTargetError, resolveApiTarget } from "@/lib/auth/call-api";
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

describe("resolveApiTarget: where callApi may send a token, and for whom it is minted", () => {
  it("sends a path to Doorman's own INTERNAL_URL, with the user's own token", () => {
    configure({ INTERNAL_URL: "http://127.0.0.1:3000", DOWNSTREAM_API_ORIGINS: "" });
    const { url, audience } = resolveApiTarget("/api/me?x=1");
    expect(url.toString()).toBe("http://127.0.0.1:3000/api/me?x=1");
    expect(audience).toBeNull();
  });

  it("sends a full URL only to a listed origin, with a token minted for that origin", () => {
    configure({ DOWNSTREAM_API_ORIGINS: "https://api.example.com, https://billing.example.com" });
    const { url, audience } = resolveApiTarget("https://billing.example.com/v1/invoices");
    expect(url.origin).toBe("https://billing.example.com");
    expect(audience).toBe("https://billing.example.com");
  });

  it.each([
    "https://evil.example/steal",
    "//evil.example/steal",
    "/\\evil.example/steal",
    "/.//evil.example/steal", // resolves to the path //evil.example/steal
    "https://api.example.com.evil.example/",
    "http://api.example.com/", // the scheme is part of the origin
    "https://user@evil.example/",
    "javascript:alert(1)",
    "not a url",
  ])("refuses %j", (target) => {
    configure({ DOWNSTREAM_API_ORIGINS: "https://api.example.com" });
    expect(() => resolveApiTarget(target)).toThrow(RefusedApiTargetError);
  });

  // Regression: the prefix check let "/\t/evil.example/x" through, and the URL
  // parser, which drops tab, CR and LF, resolved it to http://evil.example/x.
  it.each([
    "/\t/evil.example/x",
    "/\n/evil.example/x",
    "/\r/evil.example/x",
    "/\r\n/evil.example/x",
    "/\t\\evil.example/x",
    "/api/\tme",
    "/api/me\n",
    "/api/ me",
    "/api/me\u0000",
    "/api/me\u007f",
    "/api/me\u0085",
    "/api/\u00a0me",
    "/api/\u2028me",
    "/api/\u3000me",
    "https://api.example.com/\tx",
    "https://api.exa\tmple.com/x",
    "https://api.example.com/ x",
    " https://api.example.com/x",
  ])("refuses %j: control characters and whitespace", (target) => {
    configure({ INTERNAL_URL: "http://127.0.0.1:3000", DOWNSTREAM_API_ORIGINS: "https://api.example.com" });
    expect(() => resolveApiTarget(target)).toThrow(RefusedApiTargetError);
  });

  it("takes the same paths and URLs without them (control for the corpus above)", () => {
    configure({ INTERNAL_URL: "http://127.0.0.1:3000", DOWNSTREAM_API_ORIGINS: "https://api.example.com" });
    expect(resolveApiTarget("/api/me?q=a%20b").url.toString()).toBe("http://127.0.0.1:3000/api/me?q=a%20b");
    expect(resolveApiTarget("/api/caf%C3%A9").url.origin).toBe("http://127.0.0.1:3000");
    expect(resolveApiTarget("https://api.example.com/x").url.toString()).toBe("https://api.example.com/x");
  });

  it("refuses a configured value that is not a bare origin", () => {
    configure({ DOWNSTREAM_API_ORIGINS: "https://api.example.com/v1" });
    expect(() => resolveApiTarget("https://api.example.com/v1/x")).toThrow(ConfigError);
  });
});
