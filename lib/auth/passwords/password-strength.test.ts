import { describe, expect, it } from "vitest";
import { passwordStrength } from "@/lib/auth/passwords/password-strength";

describe("passwordStrength", () => {
  it("calls anything under the minimum length too short", () => {
    expect(passwordStrength("Xk9#qL2!", 12)).toEqual({ level: 0, label: "Too short" });
  });

  it("sees through repeats and keyboard or alphabet runs", () => {
    expect(passwordStrength("aaaaaaaaaaaa", 12).level).toBe(1);
    expect(passwordStrength("abcdefghijkl", 12).level).toBe(1);
    expect(passwordStrength("qwertyuiop12", 12).level).toBe(1);
    expect(passwordStrength("123456789012", 12).level).toBe(1);
  });

  it("rates a four-word passphrase strong", () => {
    expect(passwordStrength("correct horse battery staple", 12)).toEqual({ level: 4, label: "Strong" });
  });

  it("rises with length and variety", () => {
    const levels = ["mangotreeabc", "Mango-tree-7!", "mango tree under a violet sky"].map((p) => passwordStrength(p, 12).level);
    expect(levels).toEqual([...levels].sort());
    expect(levels[2]).toBeGreaterThan(levels[0]!);
  });

  it("counts characters, not UTF-16 units, after NFKC", () => {
    expect(passwordStrength("🔑".repeat(11), 12).level).toBe(0);
    expect(passwordStrength("ｐａｓｓｗｏｒｄｐａｓｓ", 12).level).toBeGreaterThan(0);
  });
});
