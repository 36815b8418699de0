import { describe, expect, it } from "vitest";
import { identityFromGitHub, identityFromIdToken } from "@/lib/auth/sso/provider-identity";

const standard = { emailVerification: "email_verified" } as const;
const microsoft = { emailVerification: "microsoft" } as const;

describe("who an ID token says signed in", () => {
  it("takes the subject, the email and whether the provider verified it", () => {
    expect(identityFromIdToken(standard, { sub: "248289761001", email: "jane@example.com", email_verified: true, name: "Jane Doe" })).toEqual({
      subject: "248289761001",
      email: "jane@example.com",
      emailVerified: true,
      name: "Jane Doe",
    });
  });

  it('counts an email as verified only on true (or the string "true" some providers send)', () => {
    expect(identityFromIdToken(standard, { sub: "1", email: "a@example.com", email_verified: "true" })?.emailVerified).toBe(true);
    for (const email_verified of [false, "false", undefined, 1, "yes"]) {
      expect(identityFromIdToken(standard, { sub: "1", email: "a@example.com", email_verified })?.emailVerified, String(email_verified)).toBe(false);
    }
  });

  it("never calls a missing email verified", () => {
    expect(identityFromIdToken(standard, { sub: "1", email_verified: true })).toMatchObject({ email: null, emailVerified: false });
  });

  it("ignores email_verified from Microsoft, whose address any tenant admin can type, and trusts xms_edov", () => {
    expect(identityFromIdToken(microsoft, { sub: "1", email: "a@contoso.com", email_verified: true })?.emailVerified).toBe(false);
    expect(identityFromIdToken(microsoft, { sub: "1", email: "a@contoso.com", xms_edov: true })?.emailVerified).toBe(true);
    expect(identityFromIdToken(microsoft, { sub: "1", email: "a@contoso.com", xms_edov: "1" })?.emailVerified).toBe(true);
  });

  it("refuses claims without a subject", () => {
    expect(identityFromIdToken(standard, { email: "a@example.com", email_verified: true })).toBeNull();
    expect(identityFromIdToken(standard, { sub: "", email: "a@example.com" })).toBeNull();
  });
});

describe("who GitHub's API says signed in", () => {
  const user = { id: 583231, login: "octocat", name: "The Octocat" };

  it("keys on the numeric id and takes the primary address when it is verified", () => {
    const emails = [
      { email: "old@example.com", primary: false, verified: true },
      { email: "octo@example.com", primary: true, verified: true },
    ];
    expect(identityFromGitHub(user, emails)).toEqual({ subject: "583231", email: "octo@example.com", emailVerified: true, name: "The Octocat" });
  });

  it("calls the primary address unverified when GitHub does, even if another address is verified", () => {
    const emails = [
      { email: "octo@example.com", primary: true, verified: false },
      { email: "victim@example.com", primary: false, verified: true },
    ];
    expect(identityFromGitHub(user, emails)).toMatchObject({ email: "octo@example.com", emailVerified: false });
  });

  it("falls back to the login for the name, and refuses a malformed answer", () => {
    expect(identityFromGitHub({ id: 1, login: "octocat", name: null }, [])).toMatchObject({ name: "octocat" });
    expect(identityFromGitHub({ login: "octocat" }, [])).toBeNull();
    expect(identityFromGitHub(user, { message: "Bad credentials" })).toBeNull();
  });
});
