import { afterEach, describe, expect, it } from "vitest";
import { NextResponse } from "next/server";
import { cookieNames, deviceCookieName } from "@/lib/auth/edge/cookies";
import { clearSessionCookies, setSessionCookies } from "@/lib/auth/sessions/session-cookies";
import { resetEnvCache } from "@/lib/env";

const ownAppUrl = process.env.APP_URL;
afterEach(() => {
  process.env.APP_URL = ownAppUrl;
  resetEnvCache();
});

function useAppUrl(url: string): void {
  process.env.APP_URL = url;
  resetEnvCache();
}

async function issuedCookieLines(): Promise<string[]> {
  const response = new NextResponse(null);
  const now = new Date();
  setSessionCookies(
    response.cookies,
    {
      access: { token: "header.payload.signature", expiresAt: new Date(now.getTime() + 900_000) },
      refresh: { sessionId: crypto.randomUUID(), refreshToken: "r".repeat(43), expiresAt: new Date(now.getTime() + 604_800_000) },
    },
    now,
  );
  return response.headers.getSetCookie();
}

describe("session cookies", () => {
  it("carry the __Host- prefix when APP_URL is https", async () => {
    useAppUrl("https://doorman.example");
    expect(cookieNames()).toEqual({ access: "__Host-doorman.at", refresh: "__Host-doorman.rt" });
    expect(deviceCookieName()).toBe("__Host-doorman.device");
    const lines = await issuedCookieLines();
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toMatch(/^__Host-doorman\.(at|rt)=/);
      const attributes = line.split(";").slice(1).map((a) => a.trim().toLowerCase());
      // RFC 6265bis §4.1.3.2: __Host- requires Secure, Path=/ and no Domain.
      expect(attributes).toEqual(expect.arrayContaining(["httponly", "secure", "samesite=lax", "path=/"]));
      expect(attributes.some((a) => a.startsWith("domain="))).toBe(false);
    }
  });

  it("drop only the prefix on plain-http localhost, never HttpOnly or Secure", async () => {
    useAppUrl("http://localhost:3000");
    expect(cookieNames()).toEqual({ access: "doorman.at", refresh: "doorman.rt" });
    expect(deviceCookieName()).toBe("doorman.device");
    for (const line of await issuedCookieLines()) {
      expect(line).toMatch(/; HttpOnly/i);
      expect(line).toMatch(/; Secure/i);
    }
  });

  it("live as long as the tokens they hold", async () => {
    const [access, refresh] = await issuedCookieLines();
    expect(access).toMatch(/Max-Age=900(;|$)/);
    expect(refresh).toMatch(/Max-Age=604800(;|$)/);
    expect(refresh).not.toContain("r".repeat(43));
  });

  it("are cleared with empty values and Max-Age=0", () => {
    const response = new NextResponse(null);
    clearSessionCookies(response.cookies);
    const lines = response.headers.getSetCookie();
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^doorman\.(at|rt)=;.*Max-Age=0/i);
  });
});
