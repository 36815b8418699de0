import { randomBytes } from "node:crypto";
import { expect, type APIRequestContext } from "@playwright/test";
import { linkIn, mailbox } from "./mailbox";

export const PASSWORD = "correct horse battery staple";

export type TestUser = { name: string; email: string; password: string };

/** A fresh address per test, so tests never share an account. */
export function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(5).toString("hex")}@example.com`;
}

/**
 * Signs up through the JSON API; resolves to the confirmation link from the email that was really sent.
 * The signup marker cookie stays in `request`: pass `page.request` for the page's browser to be the one that signed up.
 * Each signup comes from its own client address (the app trusts X-Forwarded-For in these tests, as
 * behind a proxy), so the real per-IP signup limit is never what a test runs into.
 */
export async function signUp(request: APIRequestContext, email: string, name = "Ada Lovelace"): Promise<URL> {
  const clientIp = `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
  const signup = await request.post("/api/auth/signup", {
    data: { name, email, password: PASSWORD },
    headers: { "x-forwarded-for": clientIp },
  });
  expect(signup.status(), await signup.text()).toBe(202);
  return linkIn(await mailbox.latest(email), "/verify-email");
}

/**
 * Signs up and confirms the email through the JSON API, in one client: it
 * holds the signup marker cookie, so the confirmation signs it in
 * (docs/decisions/0019). With `page.request`
 * the browser context ends up signed in too; with the standalone `request`
 * fixture only that client does.
 */
export async function signUpAndVerify(request: APIRequestContext, email: string, name = "Ada Lovelace"): Promise<TestUser> {
  const link = await signUp(request, email, name);
  const verify = await request.post("/api/auth/verify-email", { data: { token: link.searchParams.get("token") } });
  expect(verify.status(), await verify.text()).toBe(200);
  return { name, email, password: PASSWORD };
}
