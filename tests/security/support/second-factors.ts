import { expect } from "@playwright/test";
import { decodeBase32, totpCode } from "../../../lib/auth/second-factor/totp";
import { SoftAuthenticator } from "../../support/soft-authenticator";
import { APP_URL } from "../../e2e/support/servers";
import { send, setCookies, type Cookies } from "./http";

// Second factors made through the app's own API, as a browser and an
// authenticator would: TOTP codes computed from the secret the set-up hands
// out, passkeys from a software authenticator whose RP id and origin are the
// app's (localhost over plain http is a secure context for WebAuthn).

/** Every cookie a response sets to a value (a cleared one is left out), to send back. */
export function cookiesSetBy(response: Response): Cookies {
  return Object.fromEntries([...setCookies(response).values()].filter((cookie) => cookie.value !== "").map((cookie) => [cookie.name, cookie.value]));
}

/** Turns TOTP on for a session that signed in just now (inside the step-up window). */
export async function enrolTotp(session: { cookies: Cookies }): Promise<{ secret: Buffer; recoveryCodes: string[] }> {
  const begun = await send("/api/auth/totp", { method: "POST", cookies: session.cookies });
  expect(begun.status, await begun.clone().text()).toBe(200);
  const secret = decodeBase32(((await begun.json()) as { secret: string }).secret)!;
  const confirmed = await send("/api/auth/totp/confirm", { cookies: session.cookies, json: { code: totpCode(secret, new Date()) } });
  expect(confirmed.status, await confirmed.clone().text()).toBe(200);
  const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
  expect(recoveryCodes).toHaveLength(10);
  return { secret, recoveryCodes };
}

/**
 * The password step of a sign-in: "signed in" (200), or "second factor" (401
 * second_factor_required) with the pending cookie that the code completes.
 */
export async function passwordStep(account: { email: string; password: string }): Promise<{ outcome: "signed in" } | { outcome: "second factor"; pending: Cookies }> {
  const response = await send("/api/auth/login", { json: { email: account.email, password: account.password } });
  const text = await response.text();
  if (response.status === 200) return { outcome: "signed in" };
  expect(response.status, text).toBe(401);
  expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe("second_factor_required");
  return { outcome: "second factor", pending: cookiesSetBy(response) };
}

export const RP_ID = new URL(APP_URL).hostname;

type CreationOptions = { challenge: string; user: { id: string } };

/** The registration ceremony's options and the browser's ceremony cookie, for a session inside the step-up window. */
export async function registrationOptions(session: { cookies: Cookies }): Promise<{ options: CreationOptions; ceremony: Cookies }> {
  const response = await send("/api/auth/passkeys/registration-options", { method: "POST", cookies: session.cookies });
  expect(response.status, await response.clone().text()).toBe(200);
  return { ceremony: cookiesSetBy(response), options: ((await response.json()) as { options: CreationOptions }).options };
}

/** The passkeys GET /api/auth/passkeys lists for this session's account. */
export async function listPasskeys(session: { cookies: Cookies }): Promise<{ id: string; name: string }[]> {
  const response = await send("/api/auth/passkeys", { cookies: session.cookies });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { passkeys: { id: string; name: string }[] }).passkeys;
}

/** A passkey added to the account from this session, and the authenticator that holds its key. */
export async function addPasskey(session: { cookies: Cookies }, name = "Laptop"): Promise<{ id: string; authenticator: SoftAuthenticator }> {
  const authenticator = new SoftAuthenticator(RP_ID, APP_URL);
  const { options, ceremony } = await registrationOptions(session);
  const response = await send("/api/auth/passkeys", { cookies: { ...session.cookies, ...ceremony }, json: { name, response: authenticator.register(options) } });
  expect(response.status, await response.clone().text()).toBe(201);
  return { id: ((await response.json()) as { passkey: { id: string } }).passkey.id, authenticator };
}

/** A sign-in ceremony begun by a browser with no cookies: its options and ceremony cookie. */
export async function signInOptions(): Promise<{ options: { challenge: string }; ceremony: Cookies }> {
  const response = await send("/api/auth/passkeys/sign-in-options", { method: "POST" });
  expect(response.status, await response.clone().text()).toBe(200);
  return { ceremony: cookiesSetBy(response), options: ((await response.json()) as { options: { challenge: string } }).options };
}

/** Both steps of a sign-in, the second with this code (a recovery code, or an authenticator's): the second step's answer. */
export async function completeSignIn(account: { email: string; password: string }, code: string): Promise<Response> {
  const step = await passwordStep(account);
  expect(step.outcome, "the password step asks for the second factor").toBe("second factor");
  return send("/api/auth/login/second-factor", { cookies: step.outcome === "second factor" ? step.pending : {}, json: { code } });
}
