import { test, expect } from "@playwright/test";
import { decodeBase32, totpCode } from "../../lib/auth/second-factor/totp";
import { SoftAuthenticator } from "../support/soft-authenticator";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../e2e/support/cookies";
import { linkIn, mailbox } from "../e2e/support/mailbox";
import { APP_URL } from "../e2e/support/servers";
import { PASSWORD, uniqueEmail } from "../e2e/support/users";
import {
  nativeSignIn,
  nativeTokensFrom,
  newAccount,
  newUnverifiedAccount,
  signIn,
  signInAsAdmin,
  sessionIsLive,
  whoAmI,
  type Account,
  type Session,
} from "./support/accounts";
import { CROSS_SITE_CHECKED, CROSS_SITE_EXEMPT, ENDPOINTS, STATE_CHANGING, encode, encodingsOf, label, pathOf, validValue, type Method } from "./support/endpoints";
import { expectError, expectNoSetCookie, issuedAuthCookies, send, type SendOptions } from "./support/http";
import { callAction, postFormWithoutJs, readActionForm } from "./support/server-actions";
import { addPasskey, completeSignIn, cookiesSetBy, enrolTotp, listPasskeys, passwordStep, registrationOptions, RP_ID, signInOptions } from "./support/second-factors";
import { extend } from "./support/tokens";

// SECURITY.md "Cookies and CSRF", the cross-site rule of docs/contract.md: Sec-Fetch-Site
// decides when present (same-origin and none pass); otherwise an Origin other
// than APP_URL's, null included, is refused; neither header passes (not a
// browser). Every state-changing route handler and server action, each with a
// request that WOULD change something (the admin API's with an admin's
// session): refused, it changes nothing, and the same request from our own
// origin then does what it says. The native clients' token and revoke
// endpoints are exempt by contract: they read no cookie and set none, so they
// answer a cross-site request as any other.

const CROSS_SITE: Record<string, Record<string, string>> = {
  "Sec-Fetch-Site: cross-site": { "sec-fetch-site": "cross-site" },
  "Sec-Fetch-Site: same-site": { "sec-fetch-site": "same-site" },
  "Sec-Fetch-Site: cross-site with our own Origin": { "sec-fetch-site": "cross-site", origin: APP_URL },
  "Origin: https://evil.example": { origin: "https://evil.example" },
  "Origin: null": { origin: "null" },
  "Origin: a look-alike host": { origin: `${APP_URL}.evil.example` },
  "Origin: our host over https": { origin: APP_URL.replace("http:", "https:") },
  "a text/plain body from a cross-site page": { "sec-fetch-site": "cross-site", "content-type": "text/plain" },
};

const OUR_OWN: Record<string, Record<string, string>> = {
  "Sec-Fetch-Site: same-origin with Origin: null (a no-referrer token page)": { "sec-fetch-site": "same-origin", origin: "null" },
  "Sec-Fetch-Site: same-origin": { "sec-fetch-site": "same-origin", origin: APP_URL },
  "Sec-Fetch-Site: none (typed in the address bar)": { "sec-fetch-site": "none" },
  "our Origin without Sec-Fetch-Site": { origin: APP_URL },
  "neither header (a native client, curl)": {},
};

const SAME_ORIGIN = OUR_OWN["Sec-Fetch-Site: same-origin"]!;

type Attack = {
  path: string;
  request: SendOptions;
  /** Run after every refusal, for a change the control could not tell apart (an admin action that is idempotent). */
  unchanged?: () => Promise<void>;
  /** Run after every refusal: the same request from our own origin succeeds, which proves nothing had changed. */
  control: (response: Response) => Promise<void>;
};

/** One admin session for the file's admin scenarios (a sign-in is a bcrypt). */
let adminSession: Promise<Session> | undefined;
const admin = () => (adminSession ??= signInAsAdmin());

type AdminView = { user: { role: string; disabledAt: string | null }; sessions: unknown[] };

/** The account as the admin API shows it. */
async function adminView(userId: string): Promise<AdminView> {
  const response = await send(`/api/admin/users/${userId}`, { cookies: (await admin()).cookies });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as AdminView;
}

/** An admin action on a throwaway signed-in user, refused unless from our own origin. */
async function adminAttack(
  method: Method,
  action: "sessions" | "disable" | "enable" | "role",
  options: { json?: unknown; before?: (target: Account) => Promise<void>; unchanged: (target: Account) => Promise<void>; changed: (target: Account, response: Response) => Promise<void> },
): Promise<Attack> {
  const target = await newAccount(`xsite-admin-${action}`);
  await options.before?.(target);
  return {
    path: `/api/admin/users/${target.userId}/${action}`,
    request: { method, json: options.json, cookies: (await admin()).cookies },
    unchanged: () => options.unchanged(target),
    control: (response) => options.changed(target, response),
  };
}

/** A new API key (`me:read`) of this account, made from its browser session. */
async function newApiKey(account: Session): Promise<{ id: string; key: string }> {
  const response = await send("/api/auth/api-keys", { cookies: account.cookies, json: { name: "cross-site", scopes: ["me:read"], expiresInDays: 30 } });
  expect(response.status, await response.clone().text()).toBe(201);
  const { apiKey, key } = (await response.json()) as { apiKey: { id: string }; key: string };
  return { id: apiKey.id, key };
}

/** Whether the key still answers on GET /api/me. */
async function keyWorks(key: string): Promise<boolean> {
  const response = await send("/api/me", { headers: { authorization: `Bearer ${key}` } });
  expect([200, 401], await response.clone().text()).toContain(response.status);
  return response.status === 200;
}

/** Exactly one more email to `to` than `before` once the control's has arrived. */
async function expectOneMoreEmail(to: string, before: number): Promise<void> {
  await mailbox.next(to, before);
  expect(await mailbox.all(to)).toHaveLength(before + 1);
}

const ATTACKS: Record<string, () => Promise<Attack>> = {
  "POST /api/auth/signup": async () => {
    const email = uniqueEmail("xsite-signup");
    return {
      path: "/api/auth/signup",
      request: { json: { name: "Mallory", email, password: PASSWORD } },
      control: async (response) => {
        expect(response.status).toBe(202);
        await expectOneMoreEmail(email, 0);
      },
    };
  },
  "POST /api/auth/verify-email": async () => {
    const { verifyToken: token, signedUpHere } = await newUnverifiedAccount("xsite-verify");
    return {
      path: "/api/auth/verify-email",
      request: { json: { token }, cookies: signedUpHere },
      control: async (response) => {
        expect(response.status, "the token was not used up").toBe(200);
        issuedAuthCookies(response);
      },
    };
  },
  "POST /api/auth/resend-verification": async () => {
    const { email } = await newUnverifiedAccount("xsite-resend");
    const before = (await mailbox.all(email)).length;
    return {
      path: "/api/auth/resend-verification",
      request: { json: { email } },
      control: async (response) => {
        expect(response.status).toBe(202);
        await expectOneMoreEmail(email, before);
      },
    };
  },
  "POST /api/auth/login": async () => {
    const account = await newAccount("xsite-login");
    return {
      path: "/api/auth/login",
      request: { json: { email: account.email, password: account.password } },
      control: async (response) => {
        expect(response.status).toBe(200);
        const sessions = await send("/api/auth/sessions", { cookies: issuedAuthCookies(response) });
        // The verification's session and this one: no session was started by a refused request.
        expect(((await sessions.json()) as { sessions: unknown[] }).sessions).toHaveLength(2);
      },
    };
  },
  "POST /api/auth/refresh": async () => {
    const account = await newAccount("xsite-refresh");
    return {
      path: "/api/auth/refresh",
      request: { cookies: { [REFRESH_COOKIE]: account.refresh } },
      control: async (response) => {
        expect(response.status).toBe(200);
        expect(await whoAmI(issuedAuthCookies(response))).toBe(account.userId);
      },
    };
  },
  "POST /api/auth/logout": async () => {
    const account = await newAccount("xsite-logout");
    return {
      path: "/api/auth/logout",
      request: { cookies: account.cookies },
      control: async (response) => {
        expect(await sessionIsLive(account), "the control signed out").toBe(false);
        expect(response.status).toBe(204);
      },
    };
  },
  "POST /api/auth/logout-all": async () => {
    const account = await newAccount("xsite-logout-all");
    const other = await signIn(account);
    return {
      path: "/api/auth/logout-all",
      request: { cookies: account.cookies },
      control: async (response) => {
        expect(response.status).toBe(204);
        expect(await sessionIsLive(other)).toBe(false);
      },
    };
  },
  "DELETE /api/auth/sessions/[id]": async () => {
    const account = await newAccount("xsite-revoke");
    const other = await signIn(account);
    return {
      path: `/api/auth/sessions/${other.sessionId}`,
      request: { method: "DELETE", cookies: account.cookies },
      control: async (response) => {
        expect(response.status).toBe(204);
        expect(await sessionIsLive(other)).toBe(false);
      },
    };
  },
  "POST /api/auth/forgot-password": async () => {
    const account = await newAccount("xsite-forgot");
    const before = (await mailbox.all(account.email)).length;
    return {
      path: "/api/auth/forgot-password",
      request: { json: { email: account.email } },
      control: async (response) => {
        expect(response.status).toBe(202);
        await expectOneMoreEmail(account.email, before);
      },
    };
  },
  "POST /api/auth/reset-password": async () => {
    const account = await newAccount("xsite-reset");
    const before = (await mailbox.all(account.email)).length;
    expect((await send("/api/auth/forgot-password", { json: { email: account.email } })).status).toBe(202);
    const token = linkIn(await mailbox.next(account.email, before), "/reset-password").searchParams.get("token")!;
    return {
      path: "/api/auth/reset-password",
      request: { json: { token, password: "a new passphrase nobody guesses" } },
      control: async (response) => {
        expect(response.status, "the reset link was not used up").toBe(200);
        expect(await sessionIsLive(account)).toBe(false);
      },
    };
  },
  "POST /api/auth/change-password": async () => {
    const account = await newAccount("xsite-change");
    return {
      path: "/api/auth/change-password",
      request: { json: { currentPassword: account.password, newPassword: "a new passphrase nobody guesses" }, cookies: account.cookies },
      control: async (response) => {
        expect(response.status, "the current password was still the old one").toBe(200);
      },
    };
  },
  "DELETE /api/admin/users/[id]/sessions": () =>
    adminAttack("DELETE", "sessions", {
      unchanged: async (target) => expect(await sessionIsLive(target)).toBe(true),
      changed: async (target, response) => {
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ sessionsEnded: 1 });
        expect(await sessionIsLive(target)).toBe(false);
      },
    }),
  "POST /api/admin/users/[id]/disable": () =>
    adminAttack("POST", "disable", {
      unchanged: async (target) => {
        expect((await adminView(target.userId)).user.disabledAt).toBeNull();
        expect(await sessionIsLive(target)).toBe(true);
      },
      changed: async (target, response) => {
        expect(response.status).toBe(200);
        expect(((await response.json()) as AdminView).user.disabledAt).not.toBeNull();
        expect(await sessionIsLive(target)).toBe(false);
      },
    }),
  "POST /api/admin/users/[id]/enable": () =>
    adminAttack("POST", "enable", {
      before: async (target) => {
        const disable = await send(`/api/admin/users/${target.userId}/disable`, { method: "POST", headers: SAME_ORIGIN, cookies: (await admin()).cookies });
        expect(disable.status, await disable.text()).toBe(200);
      },
      unchanged: async (target) => expect((await adminView(target.userId)).user.disabledAt).not.toBeNull(),
      changed: async (target, response) => {
        expect(response.status).toBe(200);
        expect(((await response.json()) as AdminView).user.disabledAt).toBeNull();
        await signIn(target);
      },
    }),
  "POST /api/auth/api-keys": async () => {
    const account = await newAccount("xsite-api-key");
    const listed = async () => {
      const response = await send("/api/auth/api-keys", { cookies: account.cookies });
      expect(response.status).toBe(200);
      return ((await response.json()) as { apiKeys: unknown[] }).apiKeys;
    };
    return {
      path: "/api/auth/api-keys",
      request: { json: { name: "made cross-site", scopes: ["me:read"], expiresInDays: 30 }, cookies: account.cookies },
      unchanged: async () => expect(await listed()).toEqual([]),
      control: async (response) => {
        expect(response.status).toBe(201);
        expect(await listed()).toHaveLength(1);
      },
    };
  },
  "DELETE /api/auth/api-keys/[id]": async () => {
    const account = await newAccount("xsite-api-key-revoke");
    const { id, key } = await newApiKey(account);
    return {
      path: `/api/auth/api-keys/${id}`,
      request: { cookies: account.cookies },
      unchanged: async () => expect(await keyWorks(key)).toBe(true),
      control: async (response) => {
        expect(response.status).toBe(204);
        expect(await keyWorks(key)).toBe(false);
      },
    };
  },
  "DELETE /api/admin/users/[id]/api-keys/[keyId]": async () => {
    const target = await newAccount("xsite-admin-api-key");
    const { id, key } = await newApiKey(target);
    return {
      path: `/api/admin/users/${target.userId}/api-keys/${id}`,
      request: { cookies: (await admin()).cookies },
      unchanged: async () => expect(await keyWorks(key)).toBe(true),
      control: async (response) => {
        expect(response.status).toBe(204);
        expect(await keyWorks(key)).toBe(false);
      },
    };
  },
  "PUT /api/admin/settings": async () => {
    const settings = async () => {
      const response = await send("/api/admin/settings", { cookies: (await admin()).cookies });
      expect(response.status).toBe(200);
      return ((await response.json()) as { settings: { requireAdminSecondFactor: boolean } }).settings;
    };
    return {
      path: "/api/admin/settings",
      // Off, as it is: the suite's admin has no second factor, so only this value can pass from our own origin.
      request: { json: { requireAdminSecondFactor: false }, cookies: (await admin()).cookies },
      unchanged: async () => expect(await settings()).toEqual({ requireAdminSecondFactor: false }),
      control: async (response) => {
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ settings: { requireAdminSecondFactor: false } });
      },
    };
  },
  "POST /api/auth/reauthenticate": async () => {
    const account = await newAccount("xsite-step-up");
    const until = async () => {
      const response = await send("/api/auth/reauthenticate", { cookies: account.cookies });
      expect(response.status).toBe(200);
      return ((await response.json()) as { authenticatedUntil: string }).authenticatedUntil;
    };
    const before = await until();
    return {
      path: "/api/auth/reauthenticate",
      request: { json: { password: account.password }, cookies: account.cookies },
      unchanged: async () => expect(await until(), "the step-up window did not move").toBe(before),
      control: async (response) => {
        expect(response.status).toBe(200);
        expect(new Date(await until()).getTime()).toBeGreaterThan(new Date(before).getTime());
      },
    };
  },
  "POST /api/auth/reauthenticate/passkey-options": async () => {
    const account = await newAccount("xsite-step-up-passkey");
    return {
      path: "/api/auth/reauthenticate/passkey-options",
      request: { cookies: account.cookies },
      control: async (response) => {
        expect(response.status).toBe(200);
        expect(((await response.json()) as { options: { challenge: string } }).options.challenge).toEqual(expect.any(String));
      },
    };
  },
  "PATCH /api/admin/users/[id]/role": () =>
    adminAttack("PATCH", "role", {
      json: { role: "admin" },
      unchanged: async (target) => {
        expect((await adminView(target.userId)).user.role).toBe("user");
        expect(await sessionIsLive(target)).toBe(true);
      },
      changed: async (target, response) => {
        expect(response.status).toBe(200);
        expect(((await response.json()) as AdminView).user.role).toBe("admin");
        expect(await sessionIsLive(target), "a role change ends the account's sessions").toBe(false);
      },
    }),
  "DELETE /api/admin/users/[id]/second-factors": async () => {
    const target = await newAccount("xsite-admin-second-factors");
    await enrolTotp(target);
    // Signed in just now: an admin change needs a step-up inside ten minutes, which the file's shared session may be past.
    const freshAdmin = await signInAsAdmin();
    return {
      path: `/api/admin/users/${target.userId}/second-factors`,
      request: { cookies: freshAdmin.cookies },
      unchanged: async () => expect((await passwordStep(target)).outcome, "the authenticator still guards the account").toBe("second factor"),
      control: async (response) => {
        expect(response.status, await response.clone().text()).toBe(200);
        expect(await response.json()).toEqual({ removed: { totp: true, recoveryCodes: 10, passkeys: 0 } });
        expect((await passwordStep(target)).outcome).toBe("signed in");
      },
    };
  },
  "POST /api/auth/totp": async () => {
    const account = await newAccount("xsite-totp-begin");
    return {
      path: "/api/auth/totp",
      request: { cookies: account.cookies },
      control: async (response) => {
        expect(response.status).toBe(200);
        const secret = decodeBase32(((await response.json()) as { secret: string }).secret)!;
        // The secret handed out is the one the set-up confirms with.
        const confirmed = await send("/api/auth/totp/confirm", { cookies: account.cookies, json: { code: totpCode(secret, new Date()) } });
        expect(confirmed.status, await confirmed.text()).toBe(200);
      },
    };
  },
  "POST /api/auth/totp/confirm": async () => {
    const account = await newAccount("xsite-totp-confirm");
    const begun = await send("/api/auth/totp", { method: "POST", cookies: account.cookies });
    expect(begun.status, await begun.clone().text()).toBe(200);
    const secret = decodeBase32(((await begun.json()) as { secret: string }).secret)!;
    return {
      path: "/api/auth/totp/confirm",
      request: { json: { code: totpCode(secret, new Date()) }, cookies: account.cookies },
      unchanged: async () => expect((await passwordStep(account)).outcome, "the password alone still signs in").toBe("signed in"),
      control: async (response) => {
        expect(response.status, "the code was not used up").toBe(200);
        expect(((await response.json()) as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
        expect((await passwordStep(account)).outcome).toBe("second factor");
      },
    };
  },
  "DELETE /api/auth/totp": async () => {
    const account = await newAccount("xsite-totp-disable");
    await enrolTotp(account);
    return {
      path: "/api/auth/totp",
      request: { cookies: account.cookies },
      unchanged: async () => expect((await passwordStep(account)).outcome, "the authenticator still guards the account").toBe("second factor"),
      control: async (response) => {
        expect(response.status).toBe(204);
        expect((await passwordStep(account)).outcome).toBe("signed in");
      },
    };
  },
  "POST /api/auth/recovery-codes": async () => {
    const account = await newAccount("xsite-recovery-codes");
    const { recoveryCodes } = await enrolTotp(account);
    return {
      path: "/api/auth/recovery-codes",
      request: { cookies: account.cookies },
      // The old codes still work (this spends the first; the control spends none).
      unchanged: async () => expect((await completeSignIn(account, recoveryCodes[0]!)).status).toBe(200),
      control: async (response) => {
        expect(response.status).toBe(200);
        const fresh = ((await response.json()) as { recoveryCodes: string[] }).recoveryCodes;
        expect(fresh).toHaveLength(10);
        expect(fresh).not.toContain(recoveryCodes[1]);
        await expectError(await completeSignIn(account, recoveryCodes[1]!), 400, "invalid_code");
        expect((await completeSignIn(account, fresh[0]!)).status).toBe(200);
      },
    };
  },
  "POST /api/auth/login/second-factor": async () => {
    const account = await newAccount("xsite-second-factor");
    const { recoveryCodes } = await enrolTotp(account);
    const step = await passwordStep(account);
    if (step.outcome !== "second factor") throw new Error("the password step asked for no second factor");
    return {
      path: "/api/auth/login/second-factor",
      request: { json: { code: recoveryCodes[0] }, cookies: step.pending },
      control: async (response) => {
        expect(response.status, "neither the pending sign-in nor the code was used up").toBe(200);
        expect(await whoAmI(issuedAuthCookies(response))).toBe(account.userId);
      },
    };
  },
  "POST /api/auth/passkeys/registration-options": async () => {
    const account = await newAccount("xsite-passkey-options");
    return {
      path: "/api/auth/passkeys/registration-options",
      request: { cookies: account.cookies },
      control: async (response) => {
        expect(response.status).toBe(200);
        expect(((await response.json()) as { options: { challenge: string } }).options.challenge).toEqual(expect.any(String));
        expect(Object.keys(cookiesSetBy(response)), "the ceremony cookie").toHaveLength(1);
      },
    };
  },
  "POST /api/auth/passkeys": async () => {
    const account = await newAccount("xsite-passkey-add");
    const { options, ceremony } = await registrationOptions(account);
    return {
      path: "/api/auth/passkeys",
      request: { json: { name: "Laptop", response: new SoftAuthenticator(RP_ID, APP_URL).register(options) }, cookies: { ...account.cookies, ...ceremony } },
      unchanged: async () => expect(await listPasskeys(account)).toEqual([]),
      control: async (response) => {
        expect(response.status, "the ceremony was not used up").toBe(201);
        expect((await listPasskeys(account)).map((passkey) => passkey.name)).toEqual(["Laptop"]);
      },
    };
  },
  "PATCH /api/auth/passkeys/[id]": async () => {
    const account = await newAccount("xsite-passkey-rename");
    const { id } = await addPasskey(account, "Laptop");
    return {
      path: `/api/auth/passkeys/${id}`,
      request: { json: { name: "Renamed cross-site" }, cookies: account.cookies },
      unchanged: async () => expect((await listPasskeys(account)).map((passkey) => passkey.name)).toEqual(["Laptop"]),
      control: async (response) => {
        expect(response.status).toBe(200);
        expect((await listPasskeys(account)).map((passkey) => passkey.name)).toEqual(["Renamed cross-site"]);
      },
    };
  },
  "DELETE /api/auth/passkeys/[id]": async () => {
    const account = await newAccount("xsite-passkey-remove");
    const { id } = await addPasskey(account);
    return {
      path: `/api/auth/passkeys/${id}`,
      request: { cookies: account.cookies },
      unchanged: async () => expect((await listPasskeys(account)).map((passkey) => passkey.id)).toEqual([id]),
      control: async (response) => {
        expect(response.status).toBe(204);
        expect(await listPasskeys(account)).toEqual([]);
      },
    };
  },
  "POST /api/auth/passkeys/sign-in-options": async () => ({
    path: "/api/auth/passkeys/sign-in-options",
    request: {},
    control: async (response) => {
      expect(response.status).toBe(200);
      expect(((await response.json()) as { options: { challenge: string } }).options.challenge).toEqual(expect.any(String));
      expect(Object.keys(cookiesSetBy(response)), "the ceremony cookie").toHaveLength(1);
    },
  }),
  "POST /api/auth/passkeys/sign-in": async () => {
    const account = await newAccount("xsite-passkey-sign-in");
    const { authenticator } = await addPasskey(account);
    // Another browser, with no cookies but the ceremony's.
    const { options, ceremony } = await signInOptions();
    return {
      path: "/api/auth/passkeys/sign-in",
      request: { json: { response: authenticator.authenticate(options) }, cookies: ceremony },
      control: async (response) => {
        expect(response.status, "neither the challenge nor the assertion was used up").toBe(200);
        expect(await whoAmI(issuedAuthCookies(response))).toBe(account.userId);
      },
    };
  },
};

type Exemption = {
  /** A request that works, made afresh: answered from a cross-site page as from a native app. */
  live: () => Promise<{ fields: Record<string, string>; check: (response: Response) => Promise<void> }>;
  /** A request that fails on its merits (or, at revocation, succeeds whatever it was), never on where it came from. */
  dud: () => { fields: Record<string, string>; status: number; code?: string };
};

const EXEMPT: Record<string, Exemption> = {
  "POST /api/auth/token": {
    live: async () => {
      const account = await newAccount("xsite-exempt-token");
      return {
        fields: { grant_type: "password", email: account.email, password: account.password },
        check: async (response) => {
          const tokens = await nativeTokensFrom(response);
          expect(await whoAmI({}, { authorization: `Bearer ${await extend(tokens.access_token)}` })).toBe(account.userId);
        },
      };
    },
    dud: () => ({ fields: { grant_type: "refresh_token", refresh_token: String(validValue("refresh_token")) }, status: 400, code: "invalid_grant" }),
  },
  "POST /api/auth/revoke": {
    live: async () => {
      const tokens = await nativeSignIn(await newAccount("xsite-exempt-revoke"));
      return {
        fields: { token: tokens.refresh_token, token_type_hint: "refresh_token" },
        check: async (response) => {
          expect(response.status).toBe(200);
          expect(await response.json()).toEqual({});
          const grant = await send("/api/auth/token", { json: { grant_type: "refresh_token", refresh_token: tokens.refresh_token } });
          await expectError(grant, 400, "invalid_grant");
        },
      };
    },
    dud: () => ({ fields: { token: String(validValue("token")) }, status: 200 }),
  },
};

test("every state-changing route handler has a cross-site scenario here", () => {
  expect(Object.keys(ATTACKS).sort()).toEqual(CROSS_SITE_CHECKED.map(label).sort());
  expect(Object.keys(EXEMPT).sort()).toEqual(CROSS_SITE_EXEMPT.map(label).sort());
});

for (const endpoint of CROSS_SITE_CHECKED) {
  test(`${label(endpoint)}: cross-site requests are refused with 403 and change nothing`, async () => {
    const attack = await ATTACKS[label(endpoint)]!();
    for (const [variant, headers] of Object.entries(CROSS_SITE)) {
      const response = await send(attack.path, { ...attack.request, method: endpoint.method, headers: { ...attack.request.headers, ...headers } });
      expectNoSetCookie(response);
      await expectError(response, 403, "cross_site_request").catch((error: Error) => {
        throw new Error(`${variant}: ${error.message}`);
      });
    }
    if (attack.request.json !== undefined) {
      // Not a browser at all, but still not JSON: nothing reads it.
      for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]) {
        const response = await send(attack.path, {
          ...attack.request,
          method: endpoint.method,
          headers: { ...attack.request.headers, "content-type": contentType },
        });
        expectNoSetCookie(response);
        await expectError(response, 415, "unsupported_media_type");
      }
    }
    await attack.unchanged?.();
    await attack.control(await send(attack.path, { ...attack.request, method: endpoint.method, headers: { ...attack.request.headers, ...SAME_ORIGIN } }));
  });
}

for (const endpoint of CROSS_SITE_EXEMPT) {
  test(`${label(endpoint)}: exempt by contract, cross-site requests are answered on their merits, with no cookie read or set`, async () => {
    const exemption = EXEMPT[label(endpoint)]!;
    // What a victim's browser might attach: a live refresh cookie and nothing else, the one a refresh would rotate.
    const victim = await newAccount("xsite-exempt-victim");
    const cookies = { [REFRESH_COOKIE]: victim.refresh };
    for (const encoding of encodingsOf(endpoint)) {
      // The encoding decides the content type (a cross-site form posts either); 415s are hostile-input.spec.ts's.
      const post = (fields: Record<string, string>, headers: Record<string, string>) => {
        const body = encode(encoding, fields);
        return send(endpoint.route, { method: endpoint.method, body: body.body, headers: { ...headers, ...body.headers }, cookies });
      };
      for (const [variant, headers] of Object.entries(CROSS_SITE)) {
        const dud = exemption.dud();
        const response = await post(dud.fields, headers);
        const context = `${encoding}, ${variant}`;
        expect(response.headers.getSetCookie(), context).toEqual([]);
        if (dud.code) await expectError(response, dud.status, dud.code).catch((error: Error) => Promise.reject(new Error(`${context}: ${error.message}`)));
        else {
          expect(response.status, context).toBe(dud.status);
          expect(await response.json(), context).toEqual({});
        }
      }
      const live = await exemption.live();
      const response = await post(live.fields, { "sec-fetch-site": "cross-site", origin: "https://evil.example" });
      expectNoSetCookie(response);
      await live.check(response);
    }
    // The cookies that came along were never read: the victim's session is as it was.
    expect(await sessionIsLive(victim)).toBe(true);
  });
}

test("our own pages and non-browser clients pass the check (answers other than 403 cross_site_request)", async () => {
  // The admin API with an admin's session: anonymous, the middleware's 401 would answer before the check runs.
  const adminCookies = (await admin()).cookies;
  for (const endpoint of STATE_CHANGING) {
    for (const [variant, headers] of Object.entries(OUR_OWN)) {
      const cookies = endpoint.auth === "admin" ? adminCookies : {};
      const response = await send(pathOf(endpoint), { method: endpoint.method, headers, cookies, json: endpoint.bodies ? {} : undefined });
      const body = await response.text();
      expect(body, `${label(endpoint)}, ${variant}`).not.toContain("cross_site_request");
      expect(response.status, `${label(endpoint)}, ${variant}: ${body}`).not.toBe(403);
    }
  }
});

test("no state changes over GET or HEAD: 405, and the session survives", async () => {
  const account = await newAccount("xsite-get");
  // Where the inventory lists a GET too, it reads (GET /api/auth/api-keys lists what POST creates).
  const readable = new Set(ENDPOINTS.filter((endpoint) => endpoint.method === "GET").map((endpoint) => endpoint.route));
  for (const endpoint of STATE_CHANGING) {
    if (readable.has(endpoint.route)) continue;
    for (const method of ["GET", "HEAD"]) {
      const response = await send(pathOf(endpoint, account.sessionId), { method, cookies: account.cookies });
      expect(response.status, `${method} ${endpoint.route}`).toBe(405);
      expectNoSetCookie(response);
    }
  }
  expect(await sessionIsLive(account)).toBe(true);
  expect(await whoAmI({ [ACCESS_COOKIE]: account.access, [REFRESH_COOKIE]: account.refresh })).toBe(account.userId);
});

test.describe("server actions", () => {
  /** `page` may depend on the values (a token page shows its form only for a live link). */
  type FormCase = {
    page: string | ((fields: Record<string, string>) => string);
    field: string;
    fields: () => Promise<Record<string, string>>;
    signedIn?: boolean;
  };

  const FORMS: Record<string, FormCase> = {
    "sign in": {
      page: "/login",
      field: "password",
      fields: async () => {
        const { email, password } = await newAccount("xsite-action-login");
        return { email, password };
      },
    },
    "sign up": { page: "/signup", field: "name", fields: async () => ({ name: "Mallory", email: uniqueEmail("xsite-action"), password: PASSWORD }) },
    "forgot password": { page: "/forgot-password", field: "email", fields: async () => ({ email: (await newAccount("xsite-action-forgot")).email }) },
    "verify email (token page)": {
      page: ({ token }) => `/verify-email?token=${token}`,
      field: "token",
      fields: async () => ({ token: (await newUnverifiedAccount("xsite-action")).verifyToken }),
    },
    "reset password (token page)": {
      page: "/reset-password?token=x",
      field: "password",
      fields: async () => ({ token: "a".repeat(43), password: "a new passphrase nobody guesses" }),
    },
    "change password": {
      page: "/account",
      field: "currentPassword",
      signedIn: true,
      fields: async () => ({ currentPassword: PASSWORD, newPassword: "a new passphrase nobody guesses" }),
    },
  };

  for (const [name, form] of Object.entries(FORMS)) {
    test(`${name}: cross-site posts to the action, with and without JavaScript, are refused before it runs`, async () => {
      const cookies = form.signedIn ? (await newAccount("xsite-action")).cookies : {};
      // One set of values that would work (a live token, a right password): refused, nothing spends them.
      const fields = await form.fields();
      const page = typeof form.page === "string" ? form.page : form.page(fields);
      const action = await readActionForm(page, form.field, cookies);
      const path = new URL(page, APP_URL).pathname;
      for (const [variant, headers] of Object.entries(CROSS_SITE)) {
        for (const [how, post] of Object.entries({ "Next-Action call": callAction, "form post without JavaScript": postFormWithoutJs })) {
          const response = await post({ path, form: action, fields, headers, cookies });
          expectNoSetCookie(response);
          await expectError(response, 403, "cross_site_request").catch((error: Error) => {
            throw new Error(`${variant}, ${how}: ${error.message}`);
          });
        }
      }
    });
  }

  test("positive control: the same posts from our own pages reach the action (sign-in signs in, token pages work with Origin: null)", async () => {
    const account = await newAccount("xsite-action-control");
    const form = await readActionForm("/login", "password");
    for (const post of [callAction, postFormWithoutJs]) {
      const response = await post({ path: "/login", form, fields: { email: account.email, password: account.password }, headers: SAME_ORIGIN });
      expect([200, 303]).toContain(response.status);
      expect(await whoAmI(issuedAuthCookies(response))).toBe(account.userId);
    }
    // A token page posts with Origin: null (Referrer-Policy: no-referrer) and Sec-Fetch-Site: same-origin.
    const { verifyToken: token, signedUpHere } = await newUnverifiedAccount("xsite-action-control");
    const verify = await readActionForm(`/verify-email?token=${token}`, "token", signedUpHere);
    const response = await postFormWithoutJs({
      path: "/verify-email",
      form: verify,
      fields: { token },
      headers: OUR_OWN["Sec-Fetch-Site: same-origin with Origin: null (a no-referrer token page)"]!,
      cookies: signedUpHere,
    });
    expect([200, 303]).toContain(response.status);
    issuedAuthCookies(response);
  });
});
