import { describe, expect, it } from "vitest";
import {
  FALLBACK_CONTENT_SECURITY_POLICY,
  TOKEN_PAGES,
  contentSecurityPolicy,
  createNonce,
  staticSecurityHeaders,
} from "@/lib/http/security-headers";

/** The policy as a map from directive to its values. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

const production = { nonce: "bm9uY2U=", development: false, https: false };

describe("createNonce", () => {
  it("is 128 random bits, base64, different every time", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(atob(nonce)).toHaveLength(16);
  });
});

describe("contentSecurityPolicy", () => {
  it("allows scripts only by nonce in production: no unsafe-inline, no unsafe-eval", () => {
    const scripts = directives(contentSecurityPolicy(production)).get("script-src");
    expect(scripts).toEqual(["'self'", "'nonce-bm9uY2U='", "'strict-dynamic'"]);
  });

  it("allows inline styles only by nonce in production", () => {
    expect(directives(contentSecurityPolicy(production)).get("style-src")).toEqual(["'self'", "'nonce-bm9uY2U='"]);
  });

  it("locks down framing, plugins, base and form targets", () => {
    const policy = directives(contentSecurityPolicy(production));
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.get("connect-src")).toEqual(["'self'"]);
  });

  it("upgrades insecure requests only when the app is served over https", () => {
    expect(directives(contentSecurityPolicy(production)).has("upgrade-insecure-requests")).toBe(false);
    expect(directives(contentSecurityPolicy({ ...production, https: true })).get("upgrade-insecure-requests")).toEqual([]);
  });

  it("lets next dev eval and style its overlay, and only in development", () => {
    const policy = directives(contentSecurityPolicy({ ...production, development: true }));
    expect(policy.get("script-src")).toContain("'unsafe-eval'");
    expect(policy.get("script-src")).not.toContain("'unsafe-inline'");
    expect(policy.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
  });
});

describe("FALLBACK_CONTENT_SECURITY_POLICY", () => {
  it("is the production policy with no nonce: nothing inline runs, scripts and styles come from 'self'", () => {
    const policy = directives(FALLBACK_CONTENT_SECURITY_POLICY);
    expect(policy.get("script-src")).toEqual(["'self'"]);
    expect(policy.get("style-src")).toEqual(["'self'"]);
    const nonced = directives(contentSecurityPolicy(production));
    for (const name of ["default-src", "img-src", "font-src", "connect-src", "object-src", "base-uri", "form-action", "frame-ancestors"]) {
      expect(policy.get(name), name).toEqual(nonced.get(name));
    }
  });
});

describe("staticSecurityHeaders", () => {
  it("sends no-referrer on token pages and strict-origin-when-cross-origin elsewhere", () => {
    for (const page of TOKEN_PAGES) expect(staticSecurityHeaders(page)["Referrer-Policy"]).toBe("no-referrer");
    expect(staticSecurityHeaders("/login")["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
  });

  it("forbids sniffing, framing, opener access and powerful features", () => {
    expect(staticSecurityHeaders("/")).toMatchObject({
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Cross-Origin-Opener-Policy": "same-origin",
      "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    });
  });
});
