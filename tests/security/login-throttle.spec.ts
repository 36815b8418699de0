import { test, expect } from "@playwright/test";
import { FREE_FAILURES } from "../../lib/auth/login-throttle";
import { newAccount } from "./support/accounts";
import { expectError, send } from "./support/http";

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
