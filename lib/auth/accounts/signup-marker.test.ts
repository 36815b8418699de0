import { afterEach, describe, expect, it } from "vitest";
import { NextResponse } from "next/server";
import { decoyMarker, matchesSignupMarker, setSignupCookie, signupMarker } from "@/lib/auth/accounts/signup-marker";
import { resetEnvCache } from "@/lib/env";

const ownAppUrl = process.env.APP_URL;
afterEach(() => {
  process.env.APP_URL = ownAppUrl;
  resetEnvCache();
});

const USER = "0b7c1a2e-6f1d-4c55-9a53-1d6d2a1f4e01";
const HASH = "$2b$12$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0";

describe("the signup marker", () => {
  it("matches only the account and the password hash it was made for", () => {
    const marker = signupMarker(USER, HASH);
    expect(matchesSignupMarker(marker, USER, HASH)).toBe(true);
    // A newer signup (another hash), a confirmation that dropped the hash, another account, a decoy: none match.
    expect(matchesSignupMarker(marker, USER, `${HASH.slice(0, -1)}1`)).toBe(false);
    expect(matchesSignupMarker(marker, USER, null)).toBe(false);
    expect(matchesSignupMarker(marker, crypto.randomUUID(), HASH)).toBe(false);
    expect(matchesSignupMarker(decoyMarker(), USER, HASH)).toBe(false);
    expect(matchesSignupMarker(null, USER, HASH)).toBe(false);
    expect(matchesSignupMarker(`${marker}x`, USER, HASH)).toBe(false);
  });

  it("looks like a decoy from outside: same alphabet, same length", () => {
    expect(signupMarker(USER, HASH)).toMatch(/^[\w-]{43}$/);
    expect(decoyMarker()).toMatch(/^[\w-]{43}$/);
  });

  it("travels in an HttpOnly, Secure, SameSite=Lax, Path=/ cookie of 24 hours, __Host- over https", () => {
    process.env.APP_URL = "https://doorman.example";
    resetEnvCache();
    const response = new NextResponse(null);
    setSignupCookie(response.cookies, decoyMarker());
    const [line] = response.headers.getSetCookie();
    expect(line).toMatch(/^__Host-doorman\.signup=[\w-]{43};/);
    const attributes = line!.split(";").slice(1).map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["httponly", "secure", "samesite=lax", "path=/", "max-age=86400"]));
    expect(attributes.some((a) => a.startsWith("domain="))).toBe(false);
  });
});
