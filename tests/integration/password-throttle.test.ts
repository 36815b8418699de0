import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as changePassword } from "@/app/api/auth/change-password/route";
import { POST as forgotPassword } from "@/app/api/auth/forgot-password/route";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as resetPassword } from "@/app/api/auth/reset-password/route";
import { POST as token } from "@/app/api/auth/token/route";
import { deviceCookieName } from "@/lib/auth/edge/cookies";
import { DEVICE_COOKIE_TTL_SECONDS } from "@/lib/auth/sessions/device-cookie";
import { FREE_FAILURES } from "@/lib/auth/limits/login-throttle";
import { bcryptWorkers } from "@/lib/auth/passwords/password-pool";
import { PEER_IP_HEADER } from "@/lib/http/client-meta";
import { parseSetCookie } from "@/lib/http/set-cookie";
import { TestClient, type RouteHandler } from "../support/client";
import { advanceClock } from "../support/clock";
import { createUser, loginAs, PASSWORD, readEmail, tokenFromLink } from "../support/fixtures";
import { expectJsonError, setCookieLine } from "../support/http";

// Guesses at the password (sign-in, the token endpoint's password grant,
// change-password's current password): how many reach bcrypt when sent at
// once, and whose failures can lock whom out (docs/decisions/0017).

const h = (handler: unknown) => handler as RouteHandler;
const WRONG = "not the right password at all";
const NEW_PASSWORD = "a brand new passphrase for ada";
const ATTACKERS = 30;
// Each failure costs a real bcrypt compare: dozens take a while on a busy machine.
const SLOW = { timeout: 240_000 };

// Every request from an address of its own, so the per-IP limit never answers for the account.
let lastIp = 0;
const freshIp = () => {
  lastIp += 1;
  return { [PEER_IP_HEADER]: `10.${(lastIp >> 16) & 255}.${(lastIp >> 8) & 255}.${lastIp & 255}` };
};

const signIn = (email: string, password: string, client = new TestClient()) =>
  client.call(h(login), { path: "/api/auth/login", json: { email, password }, headers: freshIp() });
const passwordGrant = (email: string, password: string) =>
  new TestClient().call(h(token), { path: "/api/auth/token", json: { grant_type: "password", email, password }, headers: freshIp() });
const changeFrom = (browser: TestClient, currentPassword: string) =>
  browser.call(h(changePassword), { path: "/api/auth/change-password", json: { currentPassword, newPassword: NEW_PASSWORD }, headers: freshIp() });

/** A browser holding only this device cookie (and no session). */
function browserWith(deviceCookie: string | undefined): TestClient {
  const browser = new TestClient();
  if (deviceCookie) browser.cookies.set(deviceCookieName(), deviceCookie);
  return browser;
}

let compares: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  // Date stands still unless a test moves it, so slow hashing never eats a 1 s back-off.
  advanceClock(0);
  compares = vi.spyOn(bcryptWorkers(), "compare");
});
afterEach(() => compares.mockRestore());

/** Sends every guess at once; answers the statuses, and checks every refusal is a proper 429. */
async function allAtOnce(guess: () => Promise<Response>, failure: number): Promise<{ failed: number; refused: number; retryAfter: number }> {
  compares.mockClear();
  const responses = await Promise.all(Array.from({ length: ATTACKERS }, guess));
  const refused = responses.filter((response) => response.status === 429);
  for (const response of refused) await expectJsonError(response.clone(), 429, "rate_limited");
  const failed = responses.filter((response) => response.status === failure).length;
  expect(failed + refused.length, "every guess either failed or was refused").toBe(ATTACKERS);
  return { failed, refused: refused.length, retryAfter: Math.max(...refused.map((response) => Number(response.headers.get("retry-after")))) };
}

// Regression: the block was checked, bcrypt ran (~300 ms), and only then was the failure counted, so parallel guesses all got through.
describe("guesses sent at once are counted before the password is hashed", SLOW, () => {
  it.each([
    { door: "sign-in", failure: 401, guess: (email: string) => () => signIn(email, WRONG), right: (email: string) => signIn(email, PASSWORD) },
    { door: "the token endpoint's password grant", failure: 400, guess: (email: string) => () => passwordGrant(email, WRONG), right: (email: string) => passwordGrant(email, PASSWORD) },
  ])(`${ATTACKERS} wrong passwords at once through $door: at most ${FREE_FAILURES + 1} reach bcrypt, the rest get 429`, async ({ failure, guess, right }) => {
    const ada = await createUser("ada@example.com");
    const { failed, refused, retryAfter } = await allAtOnce(guess(ada.email), failure);
    expect(compares.mock.calls.length).toBe(failed);
    expect(failed).toBeLessThanOrEqual(FREE_FAILURES + 1);
    expect(refused).toBeGreaterThanOrEqual(ATTACKERS - FREE_FAILURES - 1);

    // Positive control: once the back-off is over the right password gets in, and that success gives
    // the streak back: FREE_FAILURES - 1 more failures are still free, then the right password again.
    advanceClock(retryAfter);
    expect((await right(ada.email)).status).toBe(200);
    for (let i = 0; i < FREE_FAILURES - 1; i++) expect((await guess(ada.email)()).status).toBe(failure);
    expect((await right(ada.email)).status).toBe(200);
  });

  it(`${ATTACKERS} wrong current passwords at once on change-password: at most ${FREE_FAILURES + 1} reach bcrypt, the rest get 429`, async () => {
    const ada = await createUser("ada@example.com");
    const laptop = await loginAs(ada);
    const { failed, retryAfter } = await allAtOnce(() => changeFrom(laptop, WRONG), 400);
    expect(compares.mock.calls.length).toBe(failed);
    expect(failed).toBeLessThanOrEqual(FREE_FAILURES + 1);

    advanceClock(retryAfter);
    compares.mockClear();
    expect((await changeFrom(laptop, PASSWORD)).status).toBe(200);
    expect(compares).toHaveBeenCalledTimes(1);
  });
});

describe("device cookie", () => {
  it("is set by a successful browser sign-in only: HttpOnly, Secure, SameSite=Lax, Path=/, long-lived, sealed", async () => {
    const ada = await createUser("ada@example.com");
    const failed = await signIn(ada.email, WRONG);
    expect(setCookieLine(failed, deviceCookieName())).toBeUndefined();

    const response = await signIn(ada.email, PASSWORD);
    const line = setCookieLine(response, deviceCookieName())!;
    expect(deviceCookieName()).toContain("device");
    expect(line).toMatch(/; HttpOnly/i);
    expect(line).toMatch(/; Secure/i);
    expect(line).toMatch(/; SameSite=lax/i);
    expect(line).toMatch(/; Path=\/(;|$)/);
    expect(line).toMatch(new RegExp(`; Max-Age=${DEVICE_COOKIE_TTL_SECONDS}(;|$)`));
    expect(line).not.toContain(ada.email);
    // A new nonce every time.
    const again = await signIn(ada.email, PASSWORD);
    expect(parseSetCookie(setCookieLine(again, deviceCookieName())!)?.value).not.toBe(parseSetCookie(line)?.value);
    // Native sign-ins take and set no cookie.
    const native = await passwordGrant(ada.email, PASSWORD);
    expect(native.status).toBe(200);
    expect(native.headers.getSetCookie()).toEqual([]);
  });
});

// Regression: anyone could keep the owner out, right password included, with a few failures an hour; a reset did not help.
describe("an attacker's failures do not lock out the owner's own browser", SLOW, () => {
  /** Fails from unknown devices until the account-wide streak is blocked; answers the Retry-After. */
  async function lockAccount(email: string): Promise<number> {
    for (let i = 0; i < FREE_FAILURES; i++) expect((await signIn(email, WRONG)).status).toBe(401);
    const blocked = await signIn(email, WRONG);
    await expectJsonError(blocked.clone(), 429, "rate_limited");
    return Number(blocked.headers.get("retry-after"));
  }

  it("the owner's browser signs in with its device cookie; without it, or with a forged or another account's, it gets 429", async () => {
    const ada = await createUser("ada@example.com");
    const mallory = await createUser("mallory@example.com");
    const adasDevice = (await loginAs(ada)).cookie(deviceCookieName())!;
    const mallorysDevice = (await loginAs(mallory)).cookie(deviceCookieName())!;
    expect(adasDevice).toBeTruthy();
    await lockAccount(ada.email);

    const flipped = `${adasDevice.slice(0, -2)}${adasDevice.endsWith("A") ? "B" : "A"}${adasDevice.slice(-1)}`;
    for (const [how, cookie] of [
      ["no device cookie", undefined],
      ["mallory's device cookie", mallorysDevice],
      ["a tampered device cookie", flipped],
      ["a made-up device cookie", "Fe26.2**not-a-seal"],
    ] as const) {
      const response = await signIn(ada.email, PASSWORD, browserWith(cookie));
      expect(response.status, how).toBe(429);
      expect(setCookieLine(response, deviceCookieName()), how).toBeUndefined();
    }
    // Positive control: the very same request with Ada's own device cookie.
    const owner = browserWith(adasDevice);
    const response = await signIn(ada.email, PASSWORD, owner);
    expect(response.status).toBe(200);
    // The account stays blocked for everyone else: the attack did not end.
    await expectJsonError(await signIn(ada.email, PASSWORD), 429, "rate_limited");
    // The device cookie grants nothing by itself: the wrong password is still wrong.
    await expectJsonError(await signIn(ada.email, WRONG, browserWith(adasDevice)), 401, "invalid_credentials");
  });

  it("a device cookie that keeps failing is locked out itself, and its failures do not lock out the account", async () => {
    const ada = await createUser("ada@example.com");
    const device = (await loginAs(ada)).cookie(deviceCookieName())!;
    for (let i = 0; i < FREE_FAILURES; i++) expect((await signIn(ada.email, WRONG, browserWith(device))).status).toBe(401);
    await expectJsonError(await signIn(ada.email, PASSWORD, browserWith(device)), 429, "rate_limited");
    // Positive control: an unknown device was never blocked.
    expect((await signIn(ada.email, PASSWORD)).status).toBe(200);
  });

  it("change-password from a signed-in browser counts against that browser's device streak", async () => {
    const ada = await createUser("ada@example.com");
    const laptop = await loginAs(ada);
    for (let i = 0; i < FREE_FAILURES; i++) expect((await changeFrom(laptop, WRONG)).status).toBe(400);
    await expectJsonError(await changeFrom(laptop, PASSWORD), 429, "rate_limited");
    await expectJsonError(await signIn(ada.email, PASSWORD, browserWith(laptop.cookie(deviceCookieName()))), 429, "rate_limited");
    expect((await signIn(ada.email, PASSWORD)).status).toBe(200);
  });

  it("a successful password reset clears the account's throttle: sign-in works right after", async () => {
    const ada = await createUser("ada@example.com");
    await lockAccount(ada.email);
    await expectJsonError(await signIn(ada.email, PASSWORD), 429, "rate_limited");
    await new TestClient().call(h(forgotPassword), { path: "/api/auth/forgot-password", json: { email: ada.email }, headers: freshIp() });
    const message = await readEmail(ada.email);
    const link = tokenFromLink(message!.textBody, "/reset-password");
    const reset = await new TestClient().call(h(resetPassword), { path: "/api/auth/reset-password", json: { token: link, password: NEW_PASSWORD } });
    expect(reset.status).toBe(200);
    expect((await signIn(ada.email, NEW_PASSWORD)).status).toBe(200);
  });
});
