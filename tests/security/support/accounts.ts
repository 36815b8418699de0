import { request as playwrightRequest, expect } from "@playwright/test";
import { decodeJwt } from "jose";
import { E2E_ADMIN } from "../../e2e/support/admin";
import { ACCESS_COOKIE, REFRESH_COOKIE, SIGNUP_COOKIE } from "../../e2e/support/cookies";
import { APP_URL } from "../../e2e/support/servers";
import { linkIn, mailbox } from "../../e2e/support/mailbox";
import { PASSWORD, signUpAndVerify, uniqueEmail } from "../../e2e/support/users";
import { send, issuedAuthCookies, setCookies, type Cookies } from "./http";
import { extend } from "./tokens";

// Real accounts and sessions, made through the app's own API and the fake
// Resend mailbox. The access cookie is signed again with the production
// lifetime (tokens.extend): the e2e server's own last 4 seconds, and a test
// that sends fifty requests must not depend on how fast the machine is.

export type Session = {
  userId: string;
  sessionId: string;
  /** The access cookie (extended) and the refresh cookie exactly as the server sealed it. */
  cookies: Cookies;
  access: string;
  refresh: string;
};

export type Account = Session & { name: string; email: string; password: string };

async function sessionFrom(cookies: Cookies): Promise<Session> {
  const access = await extend(cookies[ACCESS_COOKIE]!);
  const refresh = cookies[REFRESH_COOKIE]!;
  const claims = decodeJwt(access);
  return {
    userId: String(claims.sub),
    sessionId: String(claims.sid),
    access,
    refresh,
    cookies: { [ACCESS_COOKIE]: access, [REFRESH_COOKIE]: refresh },
  };
}

/** A verified account, signed in once (the session that verifying the email starts). */
export async function newAccount(label: string): Promise<Account> {
  const context = await playwrightRequest.newContext({ baseURL: APP_URL });
  try {
    const user = await signUpAndVerify(context, uniqueEmail(label));
    const { cookies } = await context.storageState();
    const value = (name: string) => cookies.find((cookie) => cookie.name === name)?.value ?? "";
    return { ...user, ...(await sessionFrom({ [ACCESS_COOKIE]: value(ACCESS_COOKIE), [REFRESH_COOKIE]: value(REFRESH_COOKIE) })) };
  } finally {
    await context.dispose();
  }
}

export type UnverifiedAccount = {
  email: string;
  password: string;
  verifyToken: string;
  /** The signup marker cookie, as the browser that signed up holds it: with it the link signs in (docs/decisions/0019). */
  signedUpHere: Cookies;
};

/** The signup marker a signup's answer sets, as a cookie map to send back. */
export function signupMarkerOf(response: Response): Cookies {
  const marker = setCookies(response).get(SIGNUP_COOKIE)?.value;
  expect(marker, "a signup marker cookie").toBeTruthy();
  return { [SIGNUP_COOKIE]: marker! };
}

/** An account whose address is not verified yet, with the token of its verification link. */
export async function newUnverifiedAccount(label: string): Promise<UnverifiedAccount> {
  const email = uniqueEmail(label);
  const response = await send("/api/auth/signup", { json: { name: "Ada Lovelace", email, password: PASSWORD } });
  expect(response.status, await response.clone().text()).toBe(202);
  const link = linkIn(await mailbox.latest(email), "/verify-email");
  return { email, password: PASSWORD, verifyToken: link.searchParams.get("token")!, signedUpHere: signupMarkerOf(response) };
}

/** Another session of an existing account: a sign-in from another device. */
export async function signIn(account: { email: string; password: string }): Promise<Session> {
  const response = await send("/api/auth/login", { json: { email: account.email, password: account.password } });
  expect(response.status, await response.clone().text()).toBe(200);
  return sessionFrom(issuedAuthCookies(response));
}

/** A new session of the admin that playwright.config.ts made with `npm run user` before the app started. */
export function signInAsAdmin(): Promise<Session> {
  return signIn(E2E_ADMIN);
}

/** What the native clients' token endpoint hands out (RFC 6749 §5.1), with the session it belongs to. */
export type NativeTokens = { access_token: string; refresh_token: string; token_type: string; expires_in: number; sessionId: string };

/** A native client's 200 from /api/auth/token, which sets no cookie. */
export async function nativeTokensFrom(response: Response): Promise<NativeTokens> {
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(response.headers.getSetCookie(), "a native answer sets no cookie").toEqual([]);
  const tokens = JSON.parse(text) as Omit<NativeTokens, "sessionId">;
  expect(Object.keys(tokens).sort()).toEqual(["access_token", "expires_in", "refresh_token", "token_type"]);
  return { ...tokens, sessionId: String(decodeJwt(tokens.access_token).sid) };
}

/** A native app's sign-in (the password grant): a session of kind "native", tokens in the body. */
export async function nativeSignIn(account: { email: string; password: string }): Promise<NativeTokens> {
  return nativeTokensFrom(await send("/api/auth/token", { json: { grant_type: "password", email: account.email, password: account.password } }));
}

/** GET /api/me with these cookies: who the app thinks is asking (null when nobody). */
export async function whoAmI(cookies: Cookies, headers: Record<string, string> = {}): Promise<string | null> {
  const response = await send("/api/me", { cookies, headers });
  if (response.status === 401) return null;
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { user: { id: string } }).user.id;
}

/** Whether the server still counts this session as live (the refresh cookie is not used). */
export async function sessionIsLive(session: Pick<Session, "access">): Promise<boolean> {
  const response = await send("/api/auth/session", { cookies: { [ACCESS_COOKIE]: session.access } });
  expect([200, 401], await response.clone().text()).toContain(response.status);
  return response.status === 200;
}
