import { describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as resendVerification } from "@/app/api/auth/resend-verification/route";
import { POST as resetPassword } from "@/app/api/auth/reset-password/route";
import { POST as signup } from "@/app/api/auth/signup/route";
import { POST as verifyEmail } from "@/app/api/auth/verify-email/route";
import { getDb } from "@/db/client";
import { emailOutbox, sessions, users } from "@/db/schema";
import { cookieNames } from "@/lib/auth/edge/cookies";
import { TestClient, type RouteHandler } from "../support/client";
import { createUser, readAllEmails, readEmail, tokenFromLink } from "../support/fixtures";
import { expectJsonError, setCookieLine } from "../support/http";
import { countRows } from "../support/rows";

// Finding 5 of the security review (docs/decisions/0019): a verification link
// proves the mailbox, not who chose the password. Pre-account takeover (a
// stranger signs up the owner's address first, or later) and login CSRF (a
// link for one's own account sent to someone else) both came from the link
// signing in whoever opened it.

const h = (handler: unknown) => handler as RouteHandler;
// Each test hashes a dozen passwords at cost 12 (signups, logins): more than the default 30 s on a busy machine.
vi.setConfig({ testTimeout: 120_000 });
const VICTIM = "victim@example.com";
const PASSWORD_A = "the attacker's own passphrase";
const PASSWORD_B = "the owner's own passphrase";

/** Signs up in `browser` (which keeps its signup marker) and returns the token of the newest link to `email`. */
async function signUpIn(browser: TestClient, email: string, password: string, name = "Ada"): Promise<string> {
  const response = await browser.call(h(signup), { path: "/api/auth/signup", json: { name, email, password } });
  expect(response.status).toBe(202);
  return newestLink(email, "/verify-email");
}

async function newestLink(email: string, path: string): Promise<string> {
  return tokenFromLink((await readEmail(email))!.textBody, path);
}

function confirm(browser: TestClient, json: { token: string; password?: string }) {
  return browser.call(h(verifyEmail), { path: "/api/auth/verify-email", json });
}

function logIn(email: string, password: string) {
  return new TestClient().call(h(login), { path: "/api/auth/login", json: { email, password } });
}

function authCookiesSet(response: Response): string[] {
  const names = cookieNames();
  return [names.access, names.refresh].filter((name) => setCookieLine(response, name) !== undefined);
}

async function account(email: string) {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.emailCanonical, email));
  return row!;
}

describe("pre-account takeover", () => {
  it("an owner who signs up after strangers and confirms the newest link in their own browser gets their own password, and the strangers' links die", async () => {
    // Several strangers at once, each from their own browser, each with their own password.
    const strangers = Array.from({ length: 3 }, () => new TestClient());
    await Promise.all(strangers.map((browser, i) => browser.call(h(signup), { path: "/api/auth/signup", json: { name: "Mallory", email: VICTIM, password: `${PASSWORD_A} ${i}` } })));
    const strangerLinks = (await readAllEmails()).map(({ textBody }) => tokenFromLink(textBody, "/verify-email"));
    expect(strangerLinks.length).toBeGreaterThan(0);

    const owner = new TestClient();
    const ownerLink = await signUpIn(owner, VICTIM, PASSWORD_B, "Victoria");

    // Every stranger's link, in that stranger's own browser (their marker included): invalid_token, no cookie.
    for (const [i, token] of strangerLinks.entries()) {
      const answer = await confirm(strangers[i % strangers.length]!, { token });
      await expectJsonError(answer, 400, "invalid_token");
      expect(answer.headers.getSetCookie()).toEqual([]);
    }

    const confirmed = await confirm(owner, { token: ownerLink });
    expect(confirmed.status).toBe(200);
    expect(authCookiesSet(confirmed)).toHaveLength(2);
    expect((await account(VICTIM)).name).toBe("Victoria");
    expect((await logIn(VICTIM, PASSWORD_B)).status).toBe(200);
    for (let i = 0; i < strangers.length; i++) await expectJsonError(await logIn(VICTIM, `${PASSWORD_A} ${i}`), 401, "invalid_credentials");
  });

  it("an owner who confirms a stranger's link (no stranger's marker there) is verified without a session; the stranger's password is gone and a link to choose one arrives", async () => {
    const stranger = new TestClient();
    const strangerLink = await signUpIn(stranger, VICTIM, PASSWORD_A, "Mallory");

    const owner = new TestClient();
    const confirmed = await confirm(owner, { token: strangerLink });
    expect(confirmed.status).toBe(200);
    expect((await confirmed.json()).user).toMatchObject({ email: VICTIM, emailVerified: true });
    expect(confirmed.headers.getSetCookie()).toEqual([]);
    expect(await countRows(sessions)).toBe(0);
    expect((await account(VICTIM)).passwordHash).toBeNull();

    // The stranger's password now answers exactly as a wrong one.
    await expectJsonError(await logIn(VICTIM, PASSWORD_A), 401, "invalid_credentials");

    const choose = await readEmail(VICTIM);
    expect(choose?.kind).toBe("choose_password");
    const reset = await new TestClient().call(h(resetPassword), {
      path: "/api/auth/reset-password",
      json: { token: tokenFromLink(choose!.textBody, "/reset-password"), password: PASSWORD_B },
    });
    expect(reset.status).toBe(200);
    expect((await logIn(VICTIM, PASSWORD_B)).status).toBe(200);
    await expectJsonError(await logIn(VICTIM, PASSWORD_A), 401, "invalid_credentials");
  });

  it("a stranger who signs up after the owner voids the owner's link and marker: the newest link then signs in nobody", async () => {
    const owner = new TestClient();
    const ownerLink = await signUpIn(owner, VICTIM, PASSWORD_B);
    const stranger = new TestClient();
    const strangerLink = await signUpIn(stranger, VICTIM, PASSWORD_A);

    await expectJsonError(await confirm(owner, { token: ownerLink }), 400, "invalid_token");
    // The owner opens the newest link in their browser: its marker was for the replaced password.
    const confirmed = await confirm(owner, { token: strangerLink });
    expect(confirmed.status).toBe(200);
    expect(authCookiesSet(confirmed)).toEqual([]);
    await expectJsonError(await logIn(VICTIM, PASSWORD_A), 401, "invalid_credentials");
    await expectJsonError(await logIn(VICTIM, PASSWORD_B), 401, "invalid_credentials");
  });
});

describe("login CSRF through a verification link", () => {
  it("a link opened in another browser verifies and signs nobody in there; in the signing-up browser it signs in", async () => {
    const signer = new TestClient();
    const token = await signUpIn(signer, "x@example.com", PASSWORD_A);
    const elsewhere = new TestClient();
    const answer = await confirm(elsewhere, { token });
    expect(answer.status).toBe(200);
    expect(authCookiesSet(answer)).toEqual([]);
    expect(elsewhere.cookies.size).toBe(0);
    expect(await countRows(sessions)).toBe(0);

    // Positive control: the same flow in the browser that signed up.
    const other = new TestClient();
    const own = await confirm(other, { token: await signUpIn(other, "y@example.com", PASSWORD_A) });
    expect(own.status).toBe(200);
    expect(authCookiesSet(own)).toHaveLength(2);
  });

  it("the signing-up browser and another racing on one link: one wins, and the other browser never holds a session", async () => {
    const signer = new TestClient();
    const token = await signUpIn(signer, "x@example.com", PASSWORD_A);
    const others = Array.from({ length: 3 }, () => new TestClient());
    const answers = await Promise.all([...others, signer].map((browser) => confirm(browser, { token })));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    for (const answer of answers.slice(0, -1)) expect(authCookiesSet(answer)).toEqual([]);
    for (const browser of others) expect(browser.cookies.size).toBe(0);
    // Positive control: had the signing-up browser won, it would be signed in.
    if (answers.at(-1)!.status === 200) expect(authCookiesSet(answers.at(-1)!)).toHaveLength(2);
  });

  it("elsewhere, the password chosen at signup typed again signs in; a wrong one is refused and uses nothing up", async () => {
    const token = await signUpIn(new TestClient(), "x@example.com", PASSWORD_A);
    const phone = new TestClient();
    const wrong = await confirm(phone, { token, password: PASSWORD_B });
    await expectJsonError(wrong, 401, "invalid_credentials");
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect((await account("x@example.com")).emailVerifiedAt).toBeNull();

    const right = await confirm(phone, { token, password: PASSWORD_A });
    expect(right.status).toBe(200);
    expect(authCookiesSet(right)).toHaveLength(2);
    expect((await logIn("x@example.com", PASSWORD_A)).status).toBe(200);
  });

  // Regression: the typed password was checked past the account's throttle, a way to guess around it.
  it("a typed password is a counted guess: after ten wrong ones at once, even the right one waits", async () => {
    const token = await signUpIn(new TestClient(), "y@example.com", PASSWORD_A);
    const guesses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => confirm(new TestClient(), { token, password: `${PASSWORD_B} ${i}` })),
    );
    expect(guesses.map((answer) => answer.status)).toEqual(Array(10).fill(401));
    const right = await confirm(new TestClient(), { token, password: PASSWORD_A });
    await expectJsonError(right, 429, "rate_limited");
    expect(right.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await account("y@example.com")).emailVerifiedAt).toBeNull();
  });
});

describe("the signing-up browser", () => {
  it("keeps signing in with a resent link (whoever asked for it)", async () => {
    const browser = new TestClient();
    const first = await signUpIn(browser, "ada@example.com", PASSWORD_A);
    const resent = await new TestClient().call(h(resendVerification), { path: "/api/auth/resend-verification", json: { email: "ada@example.com" } });
    expect(resent.status).toBe(202);
    const second = await newestLink("ada@example.com", "/verify-email");
    expect(second).not.toBe(first);
    const answer = await confirm(browser, { token: second });
    expect(authCookiesSet(answer)).toHaveLength(2);
  });
});

describe("unsolicited email", () => {
  const NAME = "Mallory Call 555-0100 now";

  it("carries no name chosen by whoever signed up: the verification link, its resend, and the notice to an existing owner", async () => {
    await signUpIn(new TestClient(), VICTIM, PASSWORD_A, NAME);
    await new TestClient().call(h(resendVerification), { path: "/api/auth/resend-verification", json: { email: VICTIM } });
    const owner = await createUser("grace@example.com", { name: "Grace Hopper" });
    await new TestClient().call(h(signup), { path: "/api/auth/signup", json: { name: NAME, email: owner.email, password: PASSWORD_A } });

    const messages = await readAllEmails();
    expect(messages.map((m) => m.kind).sort()).toEqual(["signup_existing_account", "verify_email", "verify_email"]);
    for (const message of messages) {
      for (const part of [message.subject, message.htmlBody, message.textBody]) {
        expect(part).not.toContain("Mallory");
        expect(part).not.toContain("555-0100");
      }
    }
    // Positive control: the name was accepted and stored (it is shown to the account's owner only).
    expect((await account(VICTIM)).name).toBe(NAME);
    expect(await countRows(emailOutbox, and(eq(emailOutbox.toAddress, VICTIM), eq(emailOutbox.kind, "verify_email")))).toBe(2);
  });
});
