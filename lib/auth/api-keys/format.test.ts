import { describe, expect, it } from "vitest";
import { crc32 as zlibCrc32 } from "node:zlib";
import {
  API_KEY_PATTERN,
  CHECKSUM_LENGTH,
  RANDOM_LENGTH,
  checksumOf,
  crc32,
  displayPrefix,
  generateApiKey,
  hashApiKey,
  isWellFormedApiKey,
} from "@/lib/auth/api-keys/format";

describe("API key format", () => {
  it("is dmn_, 43 base62 characters and a 6-character checksum, and matches the published pattern", () => {
    const key = generateApiKey();
    expect(key).toMatch(/^dmn_[0-9A-Za-z]{49}$/);
    expect(key).toHaveLength(4 + RANDOM_LENGTH + CHECKSUM_LENGTH);
    expect(API_KEY_PATTERN.test(`token=${key} `)).toBe(true);
    expect(isWellFormedApiKey(key)).toBe(true);
  });

  it("carries at least 256 bits: 62^43 > 2^256, and keys do not repeat", () => {
    expect(RANDOM_LENGTH * Math.log2(62)).toBeGreaterThanOrEqual(256);
    const keys = new Set(Array.from({ length: 2000 }, generateApiKey));
    expect(keys.size).toBe(2000);
  });

  it("uses every base62 character about evenly (no modulo bias)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) for (const c of generateApiKey().slice(4, 4 + RANDOM_LENGTH)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = (2000 * RANDOM_LENGTH) / 62;
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.15);
  });

  it("computes the standard CRC-32", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
    if (typeof zlibCrc32 === "function") expect(crc32("dmn")).toBe(zlibCrc32("dmn"));
    expect(checksumOf("a")).toHaveLength(CHECKSUM_LENGTH);
  });

  it("refuses one changed character, a swapped pair, a truncated key and other prefixes", () => {
    const key = generateApiKey();
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "a" ? "b" : "a") + s.slice(i + 1);
    for (let i = 4; i < key.length; i++) expect(isWellFormedApiKey(flip(key, i)), `position ${i}`).toBe(false);
    const swapped = key.slice(0, 10) + key[11] + key[10] + key.slice(12);
    if (swapped !== key) expect(isWellFormedApiKey(swapped)).toBe(false);
    expect(isWellFormedApiKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(`${key}a`)).toBe(false);
    expect(isWellFormedApiKey(`ghp_${key.slice(4)}`)).toBe(false);
    expect(isWellFormedApiKey(`${key.slice(0, 20)}-${key.slice(21)}`)).toBe(false);
  });

  it("shows only dmn_ and 6 characters, and hashes to SHA-256 hex", () => {
    const key = generateApiKey();
    expect(displayPrefix(key)).toBe(key.slice(0, 10));
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).not.toContain(key.slice(4, 20));
  });
});
