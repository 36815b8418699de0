import { test, expect } from "@playwright/test";
import { linkIn, mailbox } from "../e2e/support/mailbox";
import { PASSWORD, uniqueEmail } from "../e2e/support/users";
import { newUnverifiedAccount, signupMarkerOf, whoAmI } from "./support/accounts";
import { expectError, expectNoSetCookie, issuedAuthCookies, send, setCookies, type Cookies } from "./support/http";
import { postFormWithoutJs, readActionForm } from "./support/server-actions";

// Finding 5 of the security review (docs/decisions/0019): a verification link
// proves the mailbox, not who chose the password, so it signs in only the
// browser that submitted that signup (its marker cookie) or someone who types
// that password again. Pre-account takeover and login CSRF, against the
// running app; and finding 10b: mail anyone can trigger carries no name they chose.

const STRANGER_PASSWORD = "the stranger's own passphrase";
/** What a token page's form post carries: Referrer-Policy no-referrer makes its Origin null. */
const FROM_TOKEN_PAGE = { origin: "null", "sec-fetch-site": "same-origin" };

async function signUp(email: string, password: string, name = "Ada Lovelace"): Promise<{ marker: Cookies; token: string }> {
  const seen = (await mailbox.all(email)).length;
  const response = await send("/api/auth/signup", { json: { name, email, password } });
  expect(response.status, await response.clone().text()).toBe(202);
  const token = linkIn(await mailbox.next(email, seen), "/verify-email").searchParams.get("token")!;
  return { marker: signupMarkerOf(response), token };
}

/** The mailbox once nothing new has arrived for 1.5 s (at most 15 s). */
async function settledMailbox(email: string) {
  let messages = await mailbox.all(email);
  for (let quiet = 0, waited = 0; quiet < 1500 && waited < 15_000; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await mailbox.all(email);
    quiet = now.length === messages.length ? quiet + 250 : 0;
    messages = now;
  }
  return messages;
}

const confirm = (json: { token: string; password?: string }, cookies: Cookies = {}) => send("/api/auth/verify-email", { json, cookies });
const login = (email: string, password: string) => send("/api/auth/login", { json: { email, password } });

function expectNoAuthCookie(response: Response): void {
  expect([...setCookies(response).keys()].filter((name) => /doorman\.(at|rt)$/.test(name)), "no auth cookie").toEqual([]);
}

test("the confirm page names the address before anything is pressed, uses nothing up, and asks for the password where the signup did not happen", async () => {
  const pending = await newUnverifiedAccount("verify-page");
  const elsewhere = await send(`/verify-email?token=${pending.verifyToken}`);
  expect(elsewhere.status).toBe(200);
  const html = await elsewhere.text();
  expect(html).toContain(pending.email);
  expect(html).toMatch(/<input[^>]*name="password"/);

  const here = await (await send(`/verify-email?token=${pending.verifyToken}`, { cookies: pending.signedUpHere })).text();
  expect(here).toContain(pending.email);
  expect(here).not.toMatch(/<input[^>]*name="password"/);

  // Both GETs left the link alone: the signing-up browser still confirms with it and is signed in.
  const answer = await confirm({ token: pending.verifyToken }, pending.signedUpHere);
  expect(answer.status).toBe(200);
  expect(await whoAmI(issuedAuthCookies(answer))).toBeTruthy();
});

test("login CSRF: a link for someone's own account, opened in another browser, verifies and signs that browser in to nothing", async () => {
  // The API, without the marker.
  const api = await newUnverifiedAccount("csrf-api");
  const answer = await confirm({ token: api.verifyToken });
  expect(answer.status).toBe(200);
  expectNoSetCookie(answer);
  await expectError(await login(api.email, api.password), 401, "invalid_credentials");

  // The page's own form, as a browser without JavaScript posts it.
  const page = await newUnverifiedAccount("csrf-page");
  const form = await readActionForm(`/verify-email?token=${page.verifyToken}`, "token");
  const posted = await postFormWithoutJs({ path: "/verify-email", form, fields: { token: page.verifyToken }, headers: FROM_TOKEN_PAGE });
  expect(posted.status).toBe(200);
  expectNoAuthCookie(posted);
  expect(await posted.text()).toContain("Email confirmed");
  // Delivery runs after the answer: wait for the message after the verification link.
  expect((await mailbox.next(page.email, 1)).subject).toBe("Choose a password");

  // Positive controls: in the browser that signed up, and with the password typed again, the same link signs in.
  const own = await newUnverifiedAccount("csrf-control");
  const ownForm = await readActionForm(`/verify-email?token=${own.verifyToken}`, "token", own.signedUpHere);
  const signedIn = await postFormWithoutJs({
    path: "/verify-email",
    form: ownForm,
    fields: { token: own.verifyToken },
    headers: FROM_TOKEN_PAGE,
    cookies: own.signedUpHere,
  });
  expect(signedIn.status).toBe(303);
  expect(await whoAmI(issuedAuthCookies(signedIn))).toBeTruthy();

  const typed = await newUnverifiedAccount("csrf-typed");
  await expectError(await confirm({ token: typed.verifyToken, password: STRANGER_PASSWORD }), 401, "invalid_credentials");
  const withPassword = await confirm({ token: typed.verifyToken, password: typed.password });
  expect(withPassword.status).toBe(200);
  expect(await whoAmI(issuedAuthCookies(withPassword))).toBeTruthy();
});

test("pre-account takeover: strangers who signed up the owner's address first own nothing once the owner signs up and confirms", async () => {
  const victim = uniqueEmail("takeover");
  // Three strangers at once, then the owner.
  const strangers = await Promise.all([0, 1, 2].map(async (i) => {
    const response = await send("/api/auth/signup", { json: { name: "Mallory", email: victim, password: `${STRANGER_PASSWORD} ${i}` } });
    expect(response.status).toBe(202);
    return signupMarkerOf(response);
  }));
  // Each signup voids the links before it, and the outbox drops a message whose link died before it
  // was sent (docs/decisions/0020): one to three of these arrive, however the deliveries interleave.
  await mailbox.next(victim, 0);
  // The strangers' deliveries run after their answers: let them finish, or a late one would pass for the owner's link.
  const strangerLinks = await settledMailbox(victim);
  const owner = await signUp(victim, PASSWORD);

  for (const [i, message] of strangerLinks.entries()) {
    const stale = await confirm({ token: linkIn(message, "/verify-email").searchParams.get("token")! }, strangers[i % strangers.length]);
    expectNoSetCookie(stale);
    await expectError(stale, 400, "invalid_token");
  }
  const confirmed = await confirm({ token: owner.token }, owner.marker);
  expect(confirmed.status).toBe(200);
  expect(await whoAmI(issuedAuthCookies(confirmed))).toBeTruthy();
  expect((await login(victim, PASSWORD)).status).toBe(200);
  for (const i of [0, 1, 2]) await expectError(await login(victim, `${STRANGER_PASSWORD} ${i}`), 401, "invalid_credentials");
});

test("pre-account takeover: the owner who confirms a stranger's link gets no session, and the stranger's password is gone", async () => {
  const victim = uniqueEmail("takeover-link");
  const stranger = await signUp(victim, STRANGER_PASSWORD, "Mallory");
  const confirmed = await confirm({ token: stranger.token });
  expect(confirmed.status).toBe(200);
  expect((await confirmed.json()).user).toMatchObject({ email: victim, emailVerified: true });
  expectNoSetCookie(confirmed);
  await expectError(await login(victim, STRANGER_PASSWORD), 401, "invalid_credentials");
  // The stranger's marker opens nothing either: the link is used and the password it was bound to is gone.
  await expectError(await confirm({ token: stranger.token }, stranger.marker), 400, "invalid_token");

  // The owner chooses a password from the link the confirmation sent, and signs in with it.
  const choose = await mailbox.next(victim, 1);
  expect(choose.subject).toBe("Choose a password");
  const token = linkIn(choose, "/reset-password").searchParams.get("token");
  expect((await send("/api/auth/reset-password", { json: { token, password: PASSWORD } })).status).toBe(200);
  expect((await login(victim, PASSWORD)).status).toBe(200);
});

test("mail anyone can make the app send carries no name they chose", async () => {
  const name = "Mallory Call 555-0100 now";
  const pending = uniqueEmail("unsolicited");
  await signUp(pending, STRANGER_PASSWORD, name);
  const owner = await newUnverifiedAccount("unsolicited-owner");
  expect((await confirm({ token: owner.verifyToken }, owner.signedUpHere)).status).toBe(200);
  const seen = (await mailbox.all(owner.email)).length;
  expect((await send("/api/auth/signup", { json: { name, email: owner.email, password: STRANGER_PASSWORD } })).status).toBe(202);

  const notice = await mailbox.next(owner.email, seen);
  expect(notice.subject).toBe("Someone tried to sign up with your email");
  const verification = await mailbox.latest(pending);
  expect(verification.subject).toBe("Confirm your email address");
  for (const message of [notice, verification]) {
    for (const part of [message.subject, message.html ?? "", message.text ?? ""]) {
      expect(part).not.toContain("Mallory");
      expect(part).not.toContain("555-0100");
    }
  }
});
