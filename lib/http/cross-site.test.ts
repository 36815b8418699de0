import { describe, expect, it } from "vitest";
import { isCrossSiteRequest } from "@/lib/http/cross-site";
import { assertSameSite } from "@/lib/http/same-site";
import { AppError } from "@/lib/errors";

const APP_ORIGIN = "http://localhost:3000";

describe("the contract's cross-site rule", () => {
  it.each([
    ["Sec-Fetch-Site: same-origin", { "sec-fetch-site": "same-origin" }, false],
    ["Sec-Fetch-Site: none (typed URL, bookmark)", { "sec-fetch-site": "none" }, false],
    ["Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site" }, true],
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }, true],
    ["Sec-Fetch-Site: cross-site with our own Origin", { "sec-fetch-site": "cross-site", origin: APP_ORIGIN }, true],
    ["Sec-Fetch-Site: same-origin with Origin: null (no-referrer page)", { "sec-fetch-site": "same-origin", origin: "null" }, false],
    ["Origin equal to APP_URL's origin", { origin: APP_ORIGIN }, false],
    ["Origin of another site", { origin: "https://evil.example" }, true],
    ["Origin of another port", { origin: "http://localhost:3001" }, true],
    ["Origin with another scheme", { origin: "https://localhost:3000" }, true],
    ["Origin: null", { origin: "null" }, true],
    ["neither header (curl, native clients)", {}, false],
  ])("%s → cross-site: %s", (_name, headers, crossSite) => {
    expect(isCrossSiteRequest(new Headers(headers), APP_ORIGIN)).toBe(crossSite);
  });

  it("assertSameSite refuses with 403 cross_site_request against APP_URL", () => {
    let caught: unknown;
    try {
      assertSameSite(new Headers({ origin: "https://evil.example" }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({ status: 403, code: "cross_site_request" });
    expect(() => assertSameSite(new Headers({ origin: APP_ORIGIN }))).not.toThrow();
  });
});
