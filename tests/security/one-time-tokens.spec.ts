import { test, expect } from "@playwright/test";
import { REFRESH_COOKIE } from "../e2e/support/cookies";
import { linkIn, mailbox } from "../e2e/support/mailbox";
import { newAccount, newUnverifiedAccount, type Account } from "./support/accounts";
import { expectError, expectNoSetCookie, issuedAuthCookies, send } from "./support/http";
import { unsealRefresh } from "./support/tokens";

// SECURITY.md "One-time tokens" and the attack list's "reset-token reuse,
// expiry and a concurrent double use", against the running app. Expiry needs a
// clock 30 minutes (or 24 hours) ahead: tests/integration/password-reset.test.ts
// and verify-email.test.ts move it; here, reuse, racing uses, a newer link
// voiding the older, and token kinds that never cross.

const NEW_PASSWORD = "the passphrase after the reset";

/** Asks for a reset link and returns its token. */
async function resetToken(account: Account): Promise<string> {
  const before = (await mailbox.all(account.email)).length;
  expect((await send("/api/auth/forgot-password", { json: { email: account.email } })).status).toBe(202);
  return linkIn(await mailbox.next(account.email, before), "/reset-password").searchParams.get("token")!;
}

const reset = (token: string, password = NEW_PASSWORD) => send("/api/auth/reset-password", { json: { token, password } });
const login = (account: Account, password: string) => send("/api/auth/login", { json: { email: account.email, password } });

test("a used reset link is refused the second time, and a used verification link too", async () => {
  const account = await newAccount("ott-reuse");
  const token = await resetToken(account);
  expect((await reset(token)).status).toBe(200);
  await expectError(await reset(token, "yet another passphrase here"), 400, "invalid_token");
  expect((await login(account, NEW_PASSWORD)).status).toBe(200);

  const pending = await newUnverifiedAccount("ott-verify-reuse");
  const first = await send("/api/auth/verify-email", { json: { token: pending.verifyToken } });
  expect(first.status).toBe(200);
  const again = await send("/api/auth/verify-email", { json: { token: pending.verifyToken } });
  expectNoSetCookie(again);
  await expectError(again, 400, "invalid_token");
});

test("five concurrent uses of one reset link: exactly one wins, and only its password works", async () => {
  const account = await newAccount("ott-race");
  const token = await resetToken(account);
  const passwords = Array.from({ length: 5 }, (_, i) => `racing passphrase number ${i}`);
  const answers = await Promise.all(passwords.map((password) => reset(token, password)));
  const winners = answers.flatMap((answer, i) => (answer.status === 200 ? [passwords[i]!] : []));
  expect(winners).toHaveLength(1);
  for (const answer of answers.filter((a) => a.status !== 200)) await expectError(answer, 400, "invalid_token");
  for (const password of passwords) {
    expect((await login(account, password)).status, password).toBe(password === winners[0] ? 200 : 401);
  }
});

test("five concurrent uses of one verification link in the browser that signed up: exactly one signs in", async () => {
  const pending = await newUnverifiedAccount("ott-verify-race");
  const answers = await Promise.all(
    Array.from({ length: 5 }, () => send("/api/auth/verify-email", { json: { token: pending.verifyToken }, cookies: pending.signedUpHere })),
  );
  const winners = answers.filter((answer) => answer.status === 200);
  expect(winners).toHaveLength(1);
  issuedAuthCookies(winners[0]!);
  for (const answer of answers.filter((a) => a.status !== 200)) {
    expectNoSetCookie(answer);
    await expectError(answer, 400, "invalid_token");
  }
});

test("a newer reset link voids the older one", async () => {
  const account = await newAccount("ott-newer");
  const older = await resetToken(account);
  const newer = await resetToken(account);
  await expectError(await reset(older), 400, "invalid_token");
  expect((await reset(newer)).status).toBe(200);
});

test("token kinds never cross: verification, reset, refresh and access tokens only open their own door", async () => {
  const account = await newAccount("ott-kinds");
  const pending = await newUnverifiedAccount("ott-kinds-pending");
  const resetLink = await resetToken(account);
  const refreshToken = await unsealRefresh(account.refresh);

  // Each spends nothing where it does not belong: the rightful use still works afterwards.
  await expectError(await reset(pending.verifyToken), 400, "invalid_token");
  await expectError(await reset(refreshToken), 400, "invalid_token");
  await expectError(await send("/api/auth/verify-email", { json: { token: resetLink } }), 400, "invalid_token");
  await expectError(await send("/api/auth/verify-email", { json: { token: refreshToken } }), 400, "invalid_token");
  // An access JWT is longer than any one-time token: refused as a malformed field.
  await expectError(await send("/api/auth/verify-email", { json: { token: account.access } }), 400, "invalid_request");
  // A raw (unsealed) refresh token is not a refresh cookie, nor a reset link an access token.
  const rawRefresh = await send("/api/auth/refresh", { method: "POST", cookies: { [REFRESH_COOKIE]: refreshToken } });
  await expectError(rawRefresh, 401, "invalid_session");
  await expectError(await send("/api/me", { headers: { authorization: `Bearer ${resetLink}` } }), 401, "unauthenticated");

  expect((await send("/api/auth/verify-email", { json: { token: pending.verifyToken } })).status).toBe(200);
  expect((await reset(resetLink)).status).toBe(200);
});
