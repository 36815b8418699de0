import { describe, expect, it } from "vitest";
import { mailboxKey } from "@/lib/email/address-cap";

describe("the email cap's mailbox key", () => {
  it.each([
    ["a.b+x@gmail.com", "ab@gmail.com"],
    ["ab@googlemail.com", "ab@gmail.com"],
    ["ab+y@gmail.com", "ab@gmail.com"],
    ["a.b.c+x+y@googlemail.com", "abc@gmail.com"],
    ["ada+news@example.com", "ada@example.com"],
    ["+tag@example.com", "@example.com"],
  ])("folds %s into %s", (canonical, key) => {
    expect(mailboxKey(canonical)).toBe(key);
  });

  it.each([
    // Dots are significant outside Gmail, and the domain is never guessed at.
    ["a.b@example.com", "ab@example.com"],
    ["ab@gmail.com", "ab@example.com"],
    ["ab@gmail.com", "abc@gmail.com"],
    ["ab@mail.gmail.com", "ab@gmail.com"],
  ])("keeps %s and %s apart", (one, other) => {
    expect(mailboxKey(one)).not.toBe(mailboxKey(other));
  });
});
