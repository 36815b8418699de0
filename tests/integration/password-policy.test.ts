import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as changePassword } from "@/app/api/auth/change-password/route";
import { POST as forgotPassword } from "@/app/api/auth/forgot-password/route";
import { POST as resetPassword } from "@/app/api/auth/reset-password/route";
import { POST as signup } from "@/app/api/auth/signup/route";
import { emailOutbox, securityEvents, users } from "@/db/schema";
import { PASSWORD_PROBLEMS } from "@/lib/auth/passwords/password-policy";
import { TestClient, type RouteHandler } from "../support/client";
import { createUser, loginAs, PASSWORD, readEmail, tokenFromLink } from "../support/fixtures";
import { expectJsonError } from "../support/http";
import { countRows } from "../support/rows";

const h = (handler: unknown) => handler as RouteHandler;

// A local part long enough to pass the length rule on its own.
const EMAIL = "ada.lovelace.1815@example.com";
const NAME = "Ada Lovelace";
const GOOD_PASSWORD = "a brand new passphrase for ada";

const REFUSED = [
  { why: "a common password, upper-cased", password: "QWERTY123456", message: PASSWORD_PROBLEMS.common },
  { why: "a common password in fullwidth forms", password: "ｑｗｅｒｔｙ１２３４５６", message: PASSWORD_PROBLEMS.common },
  { why: "the email address, in another case", password: "Ada.Lovelace.1815@Example.com", message: PASSWORD_PROBLEMS.email },
  { why: "the email's local part", password: "ada.lovelace.1815", message: PASSWORD_PROBLEMS.email },
  { why: "the name, upper-cased", password: "ADA LOVELACE", message: PASSWORD_PROBLEMS.name },
];

async function expectRefused(response: Response, field: string, message: string): Promise<void> {
  const body = await expectJsonError(response, 400, "invalid_request");
  expect(body.error.fields).toEqual({ [field]: message });
}

describe.each(REFUSED)("password policy: $why", ({ password, message }) => {
  it("signup refuses it on the password field and creates no account", async () => {
    const response = await new TestClient().call(h(signup), { path: "/api/auth/signup", json: { name: NAME, email: EMAIL, password } });
    await expectRefused(response, "password", message);
    expect(await countRows(users)).toBe(0);
    expect(await countRows(emailOutbox)).toBe(0);
  });

  it("reset refuses it on the password field and leaves the link usable", async () => {
    const user = await createUser(EMAIL, { name: NAME });
    await new TestClient().call(h(forgotPassword), { path: "/api/auth/forgot-password", json: { email: user.email } });
    const resetEmail = await readEmail(user.email);
    const token = tokenFromLink(resetEmail!.textBody, "/reset-password");
    const reset = (newPassword: string) =>
      new TestClient().call(h(resetPassword), { path: "/api/auth/reset-password", json: { token, password: newPassword } });

    await expectRefused(await reset(password), "password", message);
    expect(await countRows(securityEvents, eq(securityEvents.type, "password_reset"))).toBe(0);
    expect((await reset(GOOD_PASSWORD)).status).toBe(200);
  });

  it("change password refuses it on the newPassword field and keeps the current one", async () => {
    const user = await createUser(EMAIL, { name: NAME });
    const client = await loginAs(user);
    const response = await client.call(h(changePassword), {
      path: "/api/auth/change-password",
      json: { currentPassword: PASSWORD, newPassword: password },
    });
    await expectRefused(response, "newPassword", message);
    expect(await countRows(securityEvents, eq(securityEvents.type, "password_changed"))).toBe(0);
    await loginAs(user);
  });
});
