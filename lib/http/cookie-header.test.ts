import { describe, expect, it } from "vitest";
import { NextRequest, NextResponse } from "next/server";
import { parseCookieHeader, serializeSetCookie, type SetCookieOptions } from "@/lib/http/cookie-header";

// The refresh endpoint reads and writes cookies by these; every other route by
// NextRequest and NextResponse. A browser must see no difference.

const HEADERS = [
  "doorman.at=a.b-c_d; doorman.rt=Fe26.2*1*ab*cd~2",
  "doorman.rt=first; other=x; doorman.rt=second",
  "a=%20spaced%3Bvalue; b=%E0%A4%A; c=; =orphan; d",
  ";; doorman.rt=x;doorman.at=y",
];

describe("parseCookieHeader", () => {
  it.each(HEADERS)("reads %j as NextRequest does", (header) => {
    const next = new NextRequest("http://localhost/", { headers: { cookie: header } }).cookies;
    const ours = parseCookieHeader(header);
    for (const name of ["doorman.at", "doorman.rt", "other", "a", "b", "c", "d", ""]) {
      expect(ours.get(name)?.value, name).toBe(next.get(name)?.value);
    }
  });

  it("reads nothing from no header", () => {
    expect(parseCookieHeader(undefined).get("doorman.rt")).toBeUndefined();
  });
});

describe("serializeSetCookie", () => {
  const options = (maxAge: number): SetCookieOptions => ({ path: "/", maxAge, httpOnly: true, secure: true, sameSite: "lax" });

  it.each([
    ["doorman.at", "eyJ.a-b_c.d", 900],
    ["__Host-doorman.rt", "Fe26.2*1*ab*cd*ef*123*gh*ij~2", 2_592_000],
    ["doorman.rt", "", 0],
    ["x", "needs ; escaping = é", 5],
  ])("writes %s as NextResponse does", (name, value, maxAge) => {
    const now = Date.now();
    const response = NextResponse.json({});
    response.cookies.set(name, value, options(maxAge));
    const [line] = response.headers.getSetCookie();
    // NextResponse stamps Expires from its own clock: compare at the same second.
    expect(serializeSetCookie(name, value, options(maxAge), now).replace(/Expires=[^;]+/, "")).toBe(line!.replace(/Expires=[^;]+/, ""));
    if (maxAge > 0) expect(serializeSetCookie(name, value, options(maxAge), now)).toContain(`Expires=${new Date(now + maxAge * 1000).toUTCString()}`);
    else expect(line).not.toContain("Expires=");
  });
});
