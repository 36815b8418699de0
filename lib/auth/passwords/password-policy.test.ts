import { describe, expect, it } from "vitest";
import { PASSWORD_MAX_LENGTH, PASSWORD_PROBLEMS, passwordProblem } from "@/lib/auth/passwords/password-policy";
import commonPasswords from "@/lib/auth/passwords/common-passwords.json";

const account = { minLength: 12, email: "Ada.Lovelace@Example.com", name: "Ada Lovelace" };

describe("passwordProblem", () => {
  it("needs the minimum length, counted after NFKC", () => {
    expect(passwordProblem("a".repeat(11) + "z", account)).toBeNull();
    expect(passwordProblem("flying fish", account)).toBe("Use at least 12 characters.");
    expect(passwordProblem("flying fish!", account)).toBeNull();
    expect(passwordProblem("flying fish!", { ...account, minLength: 13 })).toBe("Use at least 13 characters.");
  });

  it("accepts a 128-character passphrase and refuses more than the maximum", () => {
    const passphrase = "a long walk along the river at dusk ".repeat(4).slice(0, 128);
    expect(passphrase).toHaveLength(128);
    expect(passwordProblem(passphrase, account)).toBeNull();
    expect(passwordProblem("x".repeat(PASSWORD_MAX_LENGTH), account)).toBeNull();
    expect(passwordProblem("x".repeat(PASSWORD_MAX_LENGTH + 1), account)).toBe(`Use at most ${PASSWORD_MAX_LENGTH} characters.`);
  });

  it("has no composition rules", () => {
    expect(passwordProblem("correct horse battery staple", account)).toBeNull();
  });

  it("refuses common passwords in any case and in compatibility forms", () => {
    for (const password of ["qwerty123456", "QWERTY123456", "QwErTy123456", "ｑｗｅｒｔｙ１２３４５６", "administrator"]) {
      expect(passwordProblem(password, account), password).toBe(PASSWORD_PROBLEMS.common);
    }
  });

  it("ships a list of at least 10,000 folded, distinct entries that could pass the lowest allowed minimum (8)", () => {
    expect(commonPasswords.length).toBeGreaterThanOrEqual(10_000);
    expect(new Set(commonPasswords).size).toBe(commonPasswords.length);
    expect(commonPasswords.filter((entry) => entry !== entry.normalize("NFKC").toLowerCase() || entry.length < 8)).toEqual([]);
  });

  it("refuses the email address and its local part, whatever the case", () => {
    expect(passwordProblem("ada.lovelace@example.com", account)).toBe(PASSWORD_PROBLEMS.email);
    expect(passwordProblem("ADA.LOVELACE@EXAMPLE.COM", account)).toBe(PASSWORD_PROBLEMS.email);
    expect(passwordProblem("Ada.Lovelace", account)).toBe(PASSWORD_PROBLEMS.email);
    expect(passwordProblem("ada.lovelace@example.org", account)).toBeNull();
  });

  it("refuses the name, whatever the case and spacing", () => {
    expect(passwordProblem("ada lovelace", account)).toBe(PASSWORD_PROBLEMS.name);
    expect(passwordProblem("ADALOVELACE!", { ...account, name: "Ada Lovelace!" })).toBe(PASSWORD_PROBLEMS.name);
    expect(passwordProblem("ＡＤＡ ＬＯＶＥＬＡＣＥ", account)).toBe(PASSWORD_PROBLEMS.name);
    expect(passwordProblem("ada lovelace 1815", account)).toBeNull();
  });

  it("checks only length and the list when no account is known", () => {
    expect(passwordProblem("ada lovelace", { minLength: 12 })).toBeNull();
  });
});
