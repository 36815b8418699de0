import { describe, expect, it } from "vitest";
import { decodeBase32, encodeBase32, generateTotpSecret, matchTotpStep, otpauthUri, timeStep, totpCode, type TotpAlgorithm } from "@/lib/auth/second-factor/totp";

// RFC 6238 Appendix B: the seeds are the ASCII digits "1234567890" repeated to the hash's key length.
const SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from("12345678901234567890", "ascii"),
  sha256: Buffer.from("12345678901234567890123456789012", "ascii"),
  sha512: Buffer.from("1234567890123456789012345678901234567890123456789012345678901234", "ascii"),
};

const VECTORS: [seconds: number, sha1: string, sha256: string, sha512: string][] = [
  [59, "94287082", "46119246", "90693936"],
  [1111111109, "07081804", "68084774", "25091201"],
  [1111111111, "14050471", "67062674", "99943326"],
  [1234567890, "89005924", "91819424", "93441116"],
  [2000000000, "69279037", "90698825", "38618901"],
  [20000000000, "65353130", "77737706", "47863826"],
];

describe("totpCode", () => {
  for (const [seconds, sha1, sha256, sha512] of VECTORS) {
    it(`matches RFC 6238 Appendix B at T=${seconds}`, () => {
      const at = new Date(seconds * 1000);
      expect(totpCode(SEEDS.sha1, at, { digits: 8, algorithm: "sha1" })).toBe(sha1);
      expect(totpCode(SEEDS.sha256, at, { digits: 8, algorithm: "sha256" })).toBe(sha256);
      expect(totpCode(SEEDS.sha512, at, { digits: 8, algorithm: "sha512" })).toBe(sha512);
    });
  }

  it("gives six digits by default, the last six of the eight", () => {
    expect(totpCode(SEEDS.sha1, new Date(59_000))).toBe("287082");
  });

  it("changes every 30 seconds", () => {
    expect(timeStep(new Date(29_999))).toBe(0);
    expect(timeStep(new Date(30_000))).toBe(1);
  });
});

describe("matchTotpStep", () => {
  it("names the step whose code it is, and null for a code of no candidate step", () => {
    const secret = generateTotpSecret();
    const code = totpCode(secret, new Date(30_000 * 100));
    expect(matchTotpStep(secret, code, [99, 100, 101])).toBe(100);
    expect(matchTotpStep(secret, code, [101, 102])).toBeNull();
    expect(matchTotpStep(secret, "12345", [100])).toBeNull();
  });
});

describe("base32", () => {
  it("encodes RFC 4648 §10's vectors, without padding", () => {
    const cases: [string, string][] = [["", ""], ["f", "MY"], ["fo", "MZXQ"], ["foo", "MZXW6"], ["foob", "MZXW6YQ"], ["fooba", "MZXW6YTB"], ["foobar", "MZXW6YTBOI"]];
    for (const [plain, encoded] of cases) {
      expect(encodeBase32(Buffer.from(plain))).toBe(encoded);
      expect(decodeBase32(encoded)?.toString()).toBe(plain);
    }
  });

  it("round-trips random secrets, reads lower case and padding, refuses other characters", () => {
    for (let i = 0; i < 50; i++) {
      const secret = generateTotpSecret();
      expect(secret).toHaveLength(20);
      const text = encodeBase32(secret);
      expect(text).toMatch(/^[A-Z2-7]{32}$/);
      expect(decodeBase32(text)?.equals(secret)).toBe(true);
      expect(decodeBase32(text.toLowerCase())?.equals(secret)).toBe(true);
    }
    expect(decodeBase32("MZXW6===")?.toString()).toBe("foo");
    expect(decodeBase32("MZXW1")).toBeNull();
  });
});

describe("otpauthUri", () => {
  it("carries the issuer, the address as label and the base32 secret", () => {
    const secret = Buffer.from("12345678901234567890");
    const uri = new URL(otpauthUri({ secret, issuer: "Doorman", accountName: "ada@example.com" }));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Doorman:ada@example.com");
    expect(uri.searchParams.get("secret")).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(uri.searchParams.get("issuer")).toBe("Doorman");
  });
});
