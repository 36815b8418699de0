import { describe, expect, it } from "vitest";
import { parseEmailAddress } from "@/lib/auth/accounts/email-address";

describe("parseEmailAddress", () => {
  it("trims, and lower-cases only the canonical form", () => {
    expect(parseEmailAddress("  Ada.Lovelace@Example.COM \n")).toEqual({
      address: "Ada.Lovelace@Example.COM",
      canonical: "ada.lovelace@example.com",
    });
  });

  it("NFKC-normalises full-width characters", () => {
    expect(parseEmailAddress("ＡＤＡ@ｅｘａｍｐｌｅ.com")).toEqual({ address: "ADA@example.com", canonical: "ada@example.com" });
    expect(parseEmailAddress("ada＠example.com")?.canonical).toBe("ada@example.com");
  });

  it("accepts ordinary addresses, plus tags included", () => {
    expect(parseEmailAddress("ada+doorman@mail.example.co.uk")?.canonical).toBe("ada+doorman@mail.example.co.uk");
  });

  it.each([
    ["a quoted local part", '"ada"@example.com'],
    ["a quoted local part with an @", '"ada@evil"@example.com'],
    ["a comment", "ada(comment)@example.com"],
    ["a comment in the domain", "ada@(comment)example.com"],
    ["an IPv4 literal domain", "ada@[127.0.0.1]"],
    ["an IPv6 literal domain", "ada@[IPv6:::1]"],
    ["a numeric domain", "ada@127.0.0.1"],
    ["a domain without a dot", "ada@localhost"],
    ["a double @", "ada@@example.com"],
    ["two @ signs", "ada@evil.example@example.com"],
    ["no local part", "@example.com"],
    ["no @", "ada.example.com"],
    ["a space inside", "ada lovelace@example.com"],
    ["a leading dot", ".ada@example.com"],
    ["consecutive dots", "ada..lovelace@example.com"],
    ["an empty string", ""],
    ["a newline inside (header injection)", "ada@example.com\nBcc: eve@example.com"],
  ])("rejects %s", (_name, input) => {
    expect(parseEmailAddress(input)).toBeNull();
  });

  it("rejects addresses over 254 characters and accepts one of exactly 254", () => {
    const local = "a".repeat(64);
    const domainOf = (last: number) => `${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(last)}.com`;
    const longest = `${local}@${domainOf(57)}`;
    const tooLong = `${local}@${domainOf(58)}`;
    expect(longest).toHaveLength(254);
    expect(tooLong).toHaveLength(255);
    expect(parseEmailAddress(longest)).not.toBeNull();
    expect(parseEmailAddress(tooLong)).toBeNull();
  });
});
