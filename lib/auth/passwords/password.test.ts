import { describe, expect, it } from "vitest";
import bcrypt from "bcryptjs";
import { BCRYPT_COST, hashPassword, needsRehash, verifyPassword } from "@/lib/auth/passwords/password";

// Cost 12 is ~300 ms per hash on a quiet machine and several times that on a busy CI runner.
describe("password hashing", { timeout: 20_000 }, () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).not.toContain("correct horse");
    expect(bcrypt.getRounds(hash)).toBe(BCRYPT_COST);
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("does not let two long passwords sharing their first 72 bytes verify each other", async () => {
    const prefix = "p".repeat(72);
    const first = `${prefix}-first-ending`;
    const second = `${prefix}-another-ending`;
    expect(new TextEncoder().encode(first).byteLength).toBeGreaterThan(72);
    const hash = await hashPassword(first);
    expect(await verifyPassword(first, hash)).toBe(true);
    expect(await verifyPassword(second, hash)).toBe(false);
    // bcrypt alone would accept it: this is the truncation the pre-hash prevents.
    const raw = await bcrypt.hash(first, 4);
    expect(await bcrypt.compare(second, raw)).toBe(true);
  });

  it("treats NFKC-equivalent passwords as the same password", async () => {
    const composed = "Caf\u00e9 \ufb01ve passphrase"; // é as one code point, "ﬁ" ligature
    const decomposed = "Cafe\u0301 five passphrase"; // e + combining acute, plain "fi"
    expect(composed).not.toBe(decomposed);
    const hash = await hashPassword(composed);
    expect(await verifyPassword(decomposed, hash)).toBe(true);
  });

  it("treats full-width letters as their ASCII equivalents (NFKC)", async () => {
    const ascii = await hashPassword("password long enough");
    expect(await verifyPassword("ｐａｓｓｗｏｒｄ long enough", ascii)).toBe(true);
  });

  it("asks for a rehash when a hash was made with a lower cost", async () => {
    expect(needsRehash(await bcrypt.hash("anything", BCRYPT_COST - 2))).toBe(true);
    expect(needsRehash(await hashPassword("anything at all"))).toBe(false);
  });
});
