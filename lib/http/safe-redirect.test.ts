import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/http/safe-redirect";
import { appOrigin } from "@/lib/env";

const FALLBACK = "/dashboard";

/** Where a browser sent to this Location would end up. */
const landsOn = (location: string) => new URL(location, appOrigin()).origin;

describe("safeNextPath (SECURITY.md open-redirect corpus)", () => {
  it.each([
    "//evil",
    "//evil.example/path",
    "/\\evil",
    "/%09/evil", // regression: an encoded tab or slash stayed on origin only until decoded once more
    "/\t/evil", // what `next=/%09/evil` becomes once the query string is decoded
    "https:evil",
    "javascript:alert(1)",
    "http://evil.example/",
    "\\\\evil",
    "",
    "dashboard",
  ])("sends %j to the fallback", (value) => {
    expect(safeNextPath(value)).toBe(FALLBACK);
  });

  it("never lets an encoded double slash leave the origin", () => {
    const result = safeNextPath("/%2F%2Fevil");
    expect(landsOn(result)).toBe(appOrigin());
    expect(result.startsWith("//")).toBe(false);
    // Decoded once more (as a careless consumer might), it must still stay home.
    expect(landsOn(decodeURIComponent(result))).toBe(appOrigin());
  });

  it("refuses a path that leaves the origin only after two or three decodings", () => {
    expect(safeNextPath("/%252F%252Fevil")).toBe(FALLBACK);
    expect(safeNextPath("/%25252F%25252Fevil")).toBe(FALLBACK);
    expect(safeNextPath("/%2525252F%2525252Fevil"), "deeper than it unwraps").toBe(FALLBACK);
  });

  // Regression: paths the URL parser re-encodes (non-ASCII) never reach a fixed
  // point when decoded; the check recursed until the stack overflowed.
  it.each([
    ["/café", "/caf%C3%A9"],
    ["/caf%C3%A9", "/caf%C3%A9"],
  ])("keeps %j, which decodes to a path that stays, as %j", (value, expected) => {
    expect(safeNextPath(value)).toBe(expected);
  });

  // Regression: judged by its prefix, a path with a tab, CR or LF could resolve
  // elsewhere, since the URL parser drops them (callApi's hole; one rule now
  // serves both: lib/http/same-origin-path.ts). Raw or decoded, control
  // characters and whitespace go home.
  it.each([
    "/\n/evil",
    "/\r/evil",
    "/\r\n/evil",
    "/\t\\evil",
    "/acc\tount",
    "/account\n",
    "/a b",
    "/a%20b", // once an overflow of the stack; now a space once decoded
    "/%0d%0aSet-Cookie:%20x=1",
    "/account\u0000",
    "/account\u0085",
    "/\u00a0/evil",
    "/account\u2028",
    "/account\u3000",
  ])("sends %j, which holds a control character or whitespace, to the fallback", (value) => {
    expect(safeNextPath(value)).toBe(FALLBACK);
  });

  it("keeps a same-origin path with its query and fragment", () => {
    expect(safeNextPath("/dashboard?x=1#y")).toBe("/dashboard?x=1#y");
    expect(safeNextPath("/account")).toBe("/account");
  });

  it("uses the fallback it is given", () => {
    expect(safeNextPath("//evil", "/")).toBe("/");
    expect(safeNextPath(null, "/")).toBe("/");
  });
});
