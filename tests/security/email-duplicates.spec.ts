import { test, expect } from "@playwright/test";
import { SIGNUP_COOKIE } from "../e2e/support/cookies";
import { mailbox } from "../e2e/support/mailbox";
import { PASSWORD, uniqueEmail } from "../e2e/support/users";
import { newAccount } from "./support/accounts";
import { expectError, send, setCookies } from "./support/http";

// SECURITY.md "Login and enumeration": emails are trimmed, NFKC-normalised and
// compared lower-cased, with a unique index on that form. Fullwidth and
// mixed-case spellings of an existing address are the same account: signing
// up with one creates nothing, answers exactly as for a new address, and tells
// the owner; signing in with one reaches the owner's account. Addresses a
// parser could read two ways are refused with a field message.

const ATTACKER_PASSWORD = "the attacker's own passphrase";
const NOTICE = "Someone tried to sign up with your email";

/** ASCII as fullwidth forms (U+FF01-FF5E), which NFKC folds back. */
const fullwidth = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

const SPELLINGS: Record<string, (email: string) => string> = {
  "fullwidth upper case": (email) => fullwidth(email.toUpperCase()),
  "fullwidth domain only": (email) => email.replace(/@.*/, (domain) => fullwidth(domain)),
  "mixed case": (email) => email.replace(/^(.)(.*)@(.)(.*)$/, (_, a: string, b: string, c: string, d: string) => `${a.toUpperCase()}${b}@${c.toUpperCase()}${d.toUpperCase()}`),
  "padded with spaces and a tab": (email) => `  ${email}\t`,
};

for (const [name, spell] of Object.entries(SPELLINGS)) {
  test(`${name}: no second account, the same answer as a new address, a notice to the owner, and sign-in reaches the owner`, async () => {
    const owner = await newAccount("dup-owner");
    const variant = spell(owner.email);
    expect(variant).not.toBe(owner.email);

    const fresh = await send("/api/auth/signup", { json: { name: "Mallory", email: uniqueEmail("dup-fresh"), password: ATTACKER_PASSWORD } });
    const duplicate = await send("/api/auth/signup", { json: { name: "Mallory", email: variant, password: ATTACKER_PASSWORD } });
    expect(duplicate.status).toBe(fresh.status);
    expect(await duplicate.text()).toBe(await fresh.text());
    // No session, only the sign-up marker that a new address gets too (docs/decisions/0019).
    expect([...setCookies(duplicate).keys()]).toEqual([SIGNUP_COOKIE]);
    expect([...setCookies(fresh).keys()]).toEqual([SIGNUP_COOKIE]);

    // The owner's second message is the notice, not a verification link for a new account.
    const notice = await mailbox.next(owner.email, 1);
    expect(notice.subject).toBe(NOTICE);
    expect(notice.to).toEqual([owner.email]);
    expect((await mailbox.all(variant)).filter((message) => message.to[0] !== owner.email)).toEqual([]);

    const asVariant = await send("/api/auth/login", { json: { email: variant, password: owner.password } });
    expect(asVariant.status).toBe(200);
    expect(((await asVariant.json()) as { user: { id: string; email: string } }).user).toMatchObject({ id: owner.userId, email: owner.email });
    // The duplicate sign-up set no password: the attacker's one opens nothing.
    await expectError(await send("/api/auth/login", { json: { email: owner.email, password: ATTACKER_PASSWORD } }), 401, "invalid_credentials");
  });
}

const UNREADABLE = [
  '"ada"@example.com',
  '"a b"@example.com',
  '"ada@evil.example"@example.com',
  "ada@example.com@evil.example",
  "ada(comment)@example.com",
  "Ada <ada@example.com>",
  "ada@[127.0.0.1]",
  "ada@localhost",
  "ada@example",
  "ada@example.123",
  "ada@@example.com",
  "@example.com",
  "ada@",
  "ada",
  ".ada@example.com",
  "ada.@example.com",
  "a..da@example.com",
  "ada@example..com",
  "ada@-example.com",
  "ada@exa mple.com",
  "ada@example.com\r\nBcc: victim@example.com",
  "ada\u0000@example.com",
  "",
];

test("quoted local parts and unparseable addresses are refused with a field message, everywhere an email is read", async () => {
  const bodies: Record<string, (email: string) => Record<string, string>> = {
    "/api/auth/signup": (email) => ({ name: "Ada Lovelace", email, password: PASSWORD }),
    "/api/auth/login": (email) => ({ email, password: PASSWORD }),
    "/api/auth/forgot-password": (email) => ({ email }),
    "/api/auth/resend-verification": (email) => ({ email }),
  };
  for (const [path, body] of Object.entries(bodies)) {
    for (const email of UNREADABLE) {
      const answer = await expectError(await send(path, { json: body(email) }), 400, "invalid_request").catch((error: Error) => {
        throw new Error(`${path} ${JSON.stringify(email)}: ${error.message}`);
      });
      expect(Object.keys(answer.error.fields ?? {}), `${path} ${JSON.stringify(email)}`).toEqual(["email"]);
      expect(answer.error.fields!.email, `${path} ${JSON.stringify(email)}`).toMatch(/email address/);
    }
  }
});
