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

test("after the free failures the account is throttled, the right password included, until Retry-After has passed", async () => {
  test.setTimeout(90_000);
  const account = await newAccount("throttle");
  const login = (password: string) => send("/api/auth/login", { json: { email: account.email, password } });

  for (let i = 1; i <= FREE_FAILURES; i++) await expectError(await login(WRONG), 401, "invalid_credentials");

  // The FREE_FAILURES-th failure blocked the account for a second. An immediate
  // attempt meets the block; on a very slow machine the second may already be
  // over, and then that failure earns the next, two-second block.
  let blocked = await login(WRONG);
  if (blocked.status === 401) blocked = await login(WRONG);
  const first = await expectError(blocked, 429, "rate_limited");
  expect(first.error.message).toBe("Too many attempts. Try again later.");
  expect(retryAfter(blocked)).toBeGreaterThanOrEqual(1);

  // Wait the block out and fail once more: the back-off doubles. Now, with
  // seconds to spare, the right password is refused too.
  await sleep(retryAfter(blocked));
  await expectError(await login(WRONG), 401, "invalid_credentials");
  const refused = await login(account.password);
  await expectError(refused, 429, "rate_limited");
  expect(retryAfter(refused)).toBeGreaterThanOrEqual(1);
  expect(retryAfter(refused)).toBeLessThanOrEqual(4);

  // Once Retry-After has passed, the right password signs in (and ends the streak).
  await sleep(retryAfter(refused));
  expect((await login(account.password)).status).toBe(200);
  await expectError(await login(WRONG), 401, "invalid_credentials");
});
