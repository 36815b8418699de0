import { afterEach, describe, expect, it } from "vitest";
import { generateAuthSecret } from "@/lib/auth/generate-secrets";
import { openEmailBody, sealEmailBody } from "@/lib/email/seal";
import { resetEnvCache } from "@/lib/env";

const ownSecret = process.env.AUTH_SECRET;
afterEach(() => {
  process.env.AUTH_SECRET = ownSecret;
  resetEnvCache();
});

const row = { id: "0f6a3c1e-2f4b-4c8e-9a7d-5b1e3c2d4f60", toAddress: "ada@example.com" };
const body = { text: "Confirm: http://localhost:3000/verify-email?token=SECRET-TOKEN", html: '<a href="…?token=SECRET-TOKEN">Confirm</a>' };

describe("sealed email bodies", () => {
  it("open with the same AUTH_SECRET and row, and show nothing of the body", () => {
    const sealed = sealEmailBody(body, row);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("SECRET-TOKEN");
    expect(openEmailBody({ ...row, sealedBody: sealed })).toEqual(body);
    expect(sealEmailBody(body, row)).not.toBe(sealed);
  });

  it.each([
    ["erased", () => ({ ...row, sealedBody: null })],
    ["moved to another row", () => ({ ...row, id: "3e1c0b7a-8d5f-4a2e-b6c9-0d4e7f1a2b35", sealedBody: sealEmailBody(body, row) })],
    ["readdressed", () => ({ ...row, toAddress: "mallory@example.com", sealedBody: sealEmailBody(body, row) })],
    ["altered", () => ({ ...row, sealedBody: flipMiddleCharacter(sealEmailBody(body, row)) })],
    ["truncated", () => ({ ...row, sealedBody: "v1.AAAA" })],
    ["garbage", () => ({ ...row, sealedBody: "not a seal" })],
  ])("do not open when %s", (_name, make) => {
    expect(openEmailBody(make())).toBeNull();
  });

  it("do not open once AUTH_SECRET has been rotated", () => {
    const sealed = sealEmailBody(body, row);
    process.env.AUTH_SECRET = generateAuthSecret();
    resetEnvCache();
    expect(openEmailBody({ ...row, sealedBody: sealed })).toBeNull();
  });
});

// Not the last character: some of its bits are base64 padding, which decoding drops.
function flipMiddleCharacter(value: string): string {
  const at = Math.floor(value.length / 2);
  return `${value.slice(0, at)}${value[at] === "A" ? "B" : "A"}${value.slice(at + 1)}`;
}
