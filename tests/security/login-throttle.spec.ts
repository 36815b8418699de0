import { test, expect } from "@playwright/test";
import { FREE_FAILURES } from "../../lib/auth/limits/login-throttle";
import { DEVICE_COOKIE } from "../e2e/support/cookies";
import { linkIn, mailbox } from "../e2e/support/mailbox";
import { newAccount } from "./support/accounts";
import { expectError, send, setCookies, type Cookies } from "./support/http";

// SECURITY.md "Login and enumeration": per account, FREE_FAILURES failures,
// then an exponential back-off (1 s, 2 s, 4 s …) during which even the right
// password is refused with 429 and Retry-After. Every attempt comes from a new
// address (send() rotates X-Forwarded-For, which the shared app trusts), so the
// per-IP limit is not what answers: the account is.

const WRONG = "not the password at all";

const retryAfter = (response: Response) => Number(response.headers.get("retry-after"));
const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 100));

type Failure = { status: number; code: string };

/**
 * Fails until the account is blocked for two seconds or more: FREE_FAILURES
 * failures, a 429 (the FREE_FAILURES-th failure earned a one-second block), and,
 * once that is over, one more failure, which doubles it. On a very slow machine
 * the first second may pass before the next attempt; that attempt then fails
 * and earns the two-second block itself.
 */
async function driveIntoBackOff(fail: () => Promise<Response>, failure: Failure): Promise<void> {
  for (let i = 1; i <= FREE_FAILURES; i++) await expectError(await fail(), failure.status, failure.code);
  let blocked = await fail();
  if (blocked.status === failure.status) blocked = await fail();
  const body = await expectError(blocked, 429, "rate_limited");
  expect(body.error.message).toBe("Too many attempts. Try again later.");
  expect(retryAfter(blocked)).toBeGreaterThanOrEqual(1);
  await sleep(retryAfter(blocked));
  await expectError(await fail(), failure.status, failure.code);
}

/** Refused with 429 and a Retry-After within the back-off so far. */
async function expectThrottled(response: Response): Promise<number> {
  await expectError(response, 429, "rate_limited");
  expect(retryAfter(response)).toBeGreaterThanOrEqual(1);
  expect(retryAfter(response)).toBeLessThanOrEqual(4);
  return retryAfter(response);
}

test("after the free failures the account is throttled, the right password included, until Retry-After has passed", async () => {
  test.setTimeout(90_000);
  const account = await newAccount("throttle");
  const login = (password: string) => send("/api/auth/login", { json: { email: account.email, password } });

  await driveIntoBackOff(() => login(WRONG), { status: 401, code: "invalid_credentials" });
  await sleep(await expectThrottled(await login(account.password)));
  // Once Retry-After has passed, the right password signs in (and ends the streak).
  expect((await login(account.password)).status).toBe(200);
  await expectError(await login(WRONG), 401, "invalid_credentials");
});

// Regression: a stolen session could guess the current password on change-password without limit.
test("change-password's current-password check counts against the same throttle as sign-in", async () => {
  test.setTimeout(90_000);
  const account = await newAccount("throttle-change");
  const change = (currentPassword: string) =>
    send("/api/auth/change-password", { json: { currentPassword, newPassword: "a new passphrase after the guessing" }, cookies: account.cookies });

  await driveIntoBackOff(() => change(WRONG), { status: 400, code: "invalid_credentials" });
  await expectThrottled(await change(account.password));
  // One account, one throttle: sign-in is refused too.
  const retry = await expectThrottled(await send("/api/auth/login", { json: { email: account.email, password: account.password } }));
  await sleep(retry);
  expect((await change(account.password)).status).toBe(200);
});

const loginFrom = (email: string, password: string, cookies: Cookies = {}) => send("/api/auth/login", { json: { email, password }, cookies });

/**
 * Strangers (no cookie, a new address each time) fail until the account-wide
 * streak is blocked for at least `seconds`: the free failures, then one more
 * failure each time a back-off has passed, which doubles it.
 */
async function blockAccount(email: string, seconds: number): Promise<void> {
  for (let i = 0; i < FREE_FAILURES; i++) await expectError(await loginFrom(email, WRONG), 401, "invalid_credentials");
  for (;;) {
    const response = await loginFrom(email, WRONG);
    if (response.status === 401) continue;
    await expectError(response, 429, "rate_limited");
    if (retryAfter(response) >= seconds) return;
    await sleep(retryAfter(response));
  }
}

/** The device cookie a successful browser sign-in hands out. */
async function deviceCookieOf(account: { email: string; password: string }): Promise<Cookies> {
  const response = await loginFrom(account.email, account.password);
  expect(response.status).toBe(200);
  const device = setCookies(response).get(DEVICE_COOKIE);
  expect(device?.attributes.has("httponly")).toBe(true);
  return { [DEVICE_COOKIE]: device!.value };
}

// Regression: the block was checked, bcrypt ran, and only then was the failure counted, so guesses sent at once all got through.
test("thirty wrong passwords sent at once: at most one more than the free failures is checked, the rest get 429", async () => {
  test.setTimeout(90_000);
  const account = await newAccount("throttle-burst");
  const started = Date.now();
  const answers = await Promise.all(Array.from({ length: 30 }, () => loginFrom(account.email, WRONG)));
  const seconds = (Date.now() - started) / 1000;
  const statuses = answers.map((response) => response.status);
  const checked = statuses.filter((status) => status === 401).length;
  // Real time runs here: the FREE_FAILURES-th attempt blocks for 1 s, and each back-off that ends while
  // the burst is still arriving lets one more attempt through and doubles (after 1 s, 3 s, 7 s …).
  // On an idle machine the burst takes well under a second: one more at most.
  const elapsedBackOffs = Math.max(1, Math.floor(Math.log2(seconds + 1)));
  expect(checked).toBeLessThanOrEqual(FREE_FAILURES + elapsedBackOffs);
  expect(statuses.filter((status) => status === 429)).toHaveLength(30 - checked);
  // Positive control: once the back-off is over the right password signs in.
  await sleep(Math.max(...answers.map(retryAfter)));
  expect((await loginFrom(account.email, account.password)).status).toBe(200);
});

// Regression: anyone could keep the owner out indefinitely with a few failures an hour, and a reset did not help.
test("strangers who keep the account blocked do not keep out a browser that signed in before; a reset clears the block", async () => {
  test.setTimeout(120_000);
  const account = await newAccount("throttle-owner");
  const other = await newAccount("throttle-other");
  const ownDevice = await deviceCookieOf(account);
  const otherDevice = await deviceCookieOf(other);
  await blockAccount(account.email, 8);

  await expectError(await loginFrom(account.email, account.password), 429, "rate_limited");
  await expectError(await loginFrom(account.email, account.password, otherDevice), 429, "rate_limited");
  const forged = { [DEVICE_COOKIE]: `${ownDevice[DEVICE_COOKIE]!.slice(0, -4)}AAAA` };
  await expectError(await loginFrom(account.email, account.password, forged), 429, "rate_limited");
  // Positive control: the same request from the owner's browser.
  expect((await loginFrom(account.email, account.password, ownDevice)).status).toBe(200);

  const seen = (await mailbox.all(account.email)).length;
  expect((await send("/api/auth/forgot-password", { json: { email: account.email } })).status).toBe(202);
  const token = linkIn(await mailbox.next(account.email, seen), "/reset-password").searchParams.get("token")!;
  const password = "a new passphrase after the lockout";
  expect((await send("/api/auth/reset-password", { json: { token, password } })).status).toBe(200);
  expect((await loginFrom(account.email, password)).status).toBe(200);
});
