import { afterEach, describe, expect, it } from "vitest";
import { sealData } from "iron-session";
import { hashToken, newRefreshToken, sealRefreshToken, successorOf, unsealRefreshToken } from "@/lib/auth/sessions/refresh-token";
import { generateAuthSecret } from "@/lib/auth/generate-secrets";
import { resetEnvCache } from "@/lib/env";

const ownSecret = process.env.AUTH_SECRET;
afterEach(() => {
  process.env.AUTH_SECRET = ownSecret;
  resetEnvCache();
});

describe("refresh tokens", () => {
  it("are 256 random bits, never repeated", () => {
    const token = newRefreshToken();
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(newRefreshToken()).not.toBe(token);
  });

  it("are stored as a SHA-256 hex digest that is not the token", () => {
    const token = newRefreshToken();
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toContain(token);
  });

  it("seal and unseal round trip", async () => {
    const token = newRefreshToken();
    const sealed = sealRefreshToken(token, 3600);
    expect(sealed).not.toContain(token);
    expect(unsealRefreshToken(sealed)).toBe(token);
  });

  it("unseal a tampered cookie to null", async () => {
    const sealed = sealRefreshToken(newRefreshToken(), 3600);
    const middle = Math.floor(sealed.length / 2);
    const swappedChar = sealed[middle] === "A" ? "B" : "A";
    expect(unsealRefreshToken(sealed.slice(0, middle) + swappedChar + sealed.slice(middle + 1))).toBeNull();
    expect(unsealRefreshToken(sealed.slice(0, -4))).toBeNull();
  });

  it("unseal a cookie sealed under another secret (swapped in from another deployment) to null", async () => {
    process.env.AUTH_SECRET = generateAuthSecret();
    resetEnvCache();
    const foreign = sealRefreshToken(newRefreshToken(), 3600);
    process.env.AUTH_SECRET = ownSecret;
    resetEnvCache();
    expect(unsealRefreshToken(foreign)).toBeNull();
  });

  it("unseal garbage, empty, oversized and wrongly shaped cookies to null", async () => {
    expect(unsealRefreshToken(undefined)).toBeNull();
    expect(unsealRefreshToken("")).toBeNull();
    expect(unsealRefreshToken("garbage")).toBeNull();
    expect(unsealRefreshToken("Fe26.2**not**a**seal")).toBeNull();
    expect(unsealRefreshToken("x".repeat(5000))).toBeNull();
    // Sealed with our secret, but not a refresh credential.
    const otherShape = await sealData({ userId: "admin" }, { password: ownSecret!, ttl: 3600 });
    expect(unsealRefreshToken(otherShape)).toBeNull();
  });

  it("have a successor that is deterministic, distinct per token, and keyed by AUTH_SECRET", () => {
    const token = newRefreshToken();
    const other = newRefreshToken();
    expect(successorOf(token)).toBe(successorOf(token));
    expect(successorOf(token)).not.toBe(successorOf(other));
    expect(successorOf(token)).not.toBe(token);
    expect(Buffer.from(successorOf(token), "base64url")).toHaveLength(32);

    const before = successorOf(token);
    process.env.AUTH_SECRET = generateAuthSecret();
    resetEnvCache();
    expect(successorOf(token)).not.toBe(before);
  });
});
