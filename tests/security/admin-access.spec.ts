import { randomUUID } from "node:crypto";
import { test, expect } from "@playwright/test";
import { ACCESS_COOKIE } from "../e2e/support/cookies";
import { APP_URL } from "../e2e/support/servers";
import { newAccount, sessionIsLive, signInAsAdmin, type Account, type Session } from "./support/accounts";
import { ADMIN, label, pathOf, type Endpoint } from "./support/endpoints";
import { expectError, expectSentToLogin, send, type SendOptions } from "./support/http";
import { callAction, postFormWithoutJs, readActionForm } from "./support/server-actions";
import { accessClaims, sign } from "./support/tokens";

// SECURITY.md "Next.js specifics": admin rights are read from the database
// for a live session, never from the JWT alone (lib/auth/dal.ts requireAdmin).
// Every admin route, the console's pages and its own buttons, against the
// running app, by: nobody; an ordinary user; an ordinary user's live session
// under a validly signed access JWT claiming role "admin"; that claim for a
// session that does not exist; and for the user's own live session under the
// admin's `sub`. Each request is worth making (promoting oneself, disabling
// the admin, ending a victim's sessions) and changes nothing. The positive
// control is the real admin making the same requests.

type Identity = {
  /** The access token presented (as the cookie, then as a Bearer token); none for the anonymous. */
  token: () => Promise<string | null>;
  status: number;
  code: string;
  /** What the console's pages show this identity (the token as the access cookie). */
  page: "not found" | "sign in";
};

let admin: Session;
let attacker: Account;
let victim: Account;

test.beforeAll(async () => {
  [admin, attacker, victim] = await Promise.all([signInAsAdmin(), newAccount("admin-attacker"), newAccount("admin-victim")]);
});

const claimingAdmin = (session: { userId: string; sessionId: string }) => sign({ ...accessClaims({ ...attacker, ...session }), role: "admin" });

const IDENTITIES: Record<string, Identity> = {
  anonymous: { token: async () => null, status: 401, code: "unauthenticated", page: "sign in" },
  "an ordinary user": { token: async () => attacker.access, status: 403, code: "forbidden", page: "not found" },
  "an ordinary user's live session, its JWT claiming role admin (validly signed)": {
    token: () => claimingAdmin(attacker),
    status: 403,
    code: "forbidden",
    page: "not found",
  },
  "the same claim for a session that does not exist": {
    token: () => claimingAdmin({ userId: attacker.userId, sessionId: randomUUID() }),
    status: 401,
    code: "invalid_session",
    page: "sign in",
  },
  "the user's live session under the admin's sub, claiming admin": {
    token: () => claimingAdmin({ userId: admin.userId, sessionId: attacker.sessionId }),
    status: 401,
    code: "invalid_session",
    page: "sign in",
  },
};

/** Each admin route as a request worth making: the attacker's own promotion, the admin disabled, the victim signed out. */
function attack(endpoint: Endpoint): { path: string; options: SendOptions } {
  switch (endpoint.route) {
    case "/api/admin/users":
      return { path: `${endpoint.route}?query=${encodeURIComponent(victim.email)}`, options: {} };
    case "/api/admin/users/[id]/role":
      return { path: pathOf(endpoint, attacker.userId), options: { json: { role: "admin" } } };
    case "/api/admin/users/[id]/disable":
      return { path: pathOf(endpoint, admin.userId), options: {} };
    case "/api/admin/users/[id]/enable":
      return { path: pathOf(endpoint, attacker.userId), options: {} };
    case "/api/admin/settings":
      // Switching the second-factor policy off would weaken every admin account.
      return { path: endpoint.route, options: endpoint.method === "PUT" ? { json: { requireAdminSecondFactor: false } } : {} };
    default:
      return { path: pathOf(endpoint, victim.userId), options: {} };
  }
}

const asCookie = (token: string | null): SendOptions => (token ? { cookies: { [ACCESS_COOKIE]: token } } : {});
const asBearer = (token: string | null): SendOptions => (token ? { headers: { authorization: `Bearer ${token}` } } : {});

/** Nothing any refused request aimed at has happened. */
async function expectNothingChanged(): Promise<void> {
  const me = await send("/api/me", { cookies: attacker.cookies });
  expect(me.status).toBe(200);
  expect(((await me.json()) as { user: { role: string } }).user.role, "the attacker is still an ordinary user").toBe("user");
  expect(await sessionIsLive(victim), "the victim is still signed in").toBe(true);
  expect(await sessionIsLive(admin), "the admin is still signed in (and enabled)").toBe(true);
  const self = await send(`/api/admin/users/${admin.userId}`, { cookies: admin.cookies });
  expect(self.status, "the admin is still an admin").toBe(200);
}

test("positive control: the admin's session passes every admin route (unknown ids: 404, nothing changes)", async () => {
  for (const endpoint of ADMIN) {
    const { options } = attack(endpoint);
    if (endpoint.route === "/api/admin/settings") {
      // No user in it: the admin reads it, and sets it to what it already is.
      const response = await send(endpoint.route, { method: endpoint.method, ...options, cookies: admin.cookies });
      expect(response.status, label(endpoint)).toBe(200);
      expect(await response.json(), label(endpoint)).toEqual({ settings: { requireAdminSecondFactor: false } });
      continue;
    }
    const known = endpoint.method === "GET";
    // The GETs with real ids; the actions on a user that does not exist, which answers past every check.
    const path = known ? attack(endpoint).path : pathOf(endpoint, randomUUID());
    const response = await send(path, { method: endpoint.method, ...options, cookies: admin.cookies });
    if (known) {
      expect(response.status, label(endpoint)).toBe(200);
      expect(await response.text(), label(endpoint)).toContain(victim.email);
    } else await expectError(response, 404, "not_found");
  }
  const listing = await send("/admin", { cookies: admin.cookies });
  expect(listing.status).toBe(200);
  expect(await listing.text()).toContain("Every account, newest first.");
  const account = await send(`/admin/users/${victim.userId}`, { cookies: admin.cookies });
  expect(account.status).toBe(200);
  expect(await account.text()).toContain(victim.email);
});

for (const [name, identity] of Object.entries(IDENTITIES)) {
  test(`${name}: ${identity.status} ${identity.code} from every admin route, by cookie and by Bearer, and nothing changes`, async () => {
    const token = await identity.token();
    for (const endpoint of ADMIN) {
      const { path, options } = attack(endpoint);
      for (const [how, credentials] of Object.entries({ cookie: asCookie(token), bearer: asBearer(token) })) {
        const response = await send(path, { method: endpoint.method, ...options, ...credentials, headers: { ...options.headers, ...credentials.headers } });
        await expectError(response, identity.status, identity.code).catch((error: Error) => {
          throw new Error(`${label(endpoint)} (${how}): ${error.message}`);
        });
      }
    }
    await expectNothingChanged();
  });

  test(`${name}: the console's pages are the ${identity.page} page, never the console`, async () => {
    const token = await identity.token();
    for (const path of ["/admin", `/admin?query=${encodeURIComponent(victim.email)}`, `/admin/users/${victim.userId}`, `/admin/users/${admin.userId}`]) {
      for (const [how, credentials] of Object.entries({ cookie: asCookie(token), bearer: asBearer(token) })) {
        const response = await send(path, credentials);
        const html = await response.text();
        const context = `${path} (${how}): ${response.status}`;
        for (const secret of ["Every account, newest first.", victim.email, "admin@doorman.test", "All accounts"]) expect(html, context).not.toContain(secret);
        // A Bearer token is for the API: the middleware sends a page request without a cookie to sign in.
        const expected = how === "bearer" ? "sign in" : identity.page;
        if (expected === "sign in") expectSentToLogin(response, context);
        else {
          expect(response.status, context).toBe(404);
          expect(html, context).toContain("This page could not be found.");
        }
      }
    }
  });
}

test("the console's own buttons, posted by the user they would promote (JWT claiming admin included), change nothing", async () => {
  // The "Make admin" form as the console renders it for the attacker's account (role=admin, userId=attacker).
  const promote = await readActionForm(`/admin/users/${attacker.userId}`, "role", admin.cookies);
  expect(promote.hidden).toContainEqual(["role", "admin"]);
  const path = `/admin/users/${attacker.userId}`;
  const headers = { origin: APP_URL, "sec-fetch-site": "same-origin" };
  for (const [name, identity] of Object.entries(IDENTITIES)) {
    const token = await identity.token();
    for (const post of [callAction, postFormWithoutJs]) {
      const response = await post({ path, form: promote, fields: {}, headers, cookies: token ? { [ACCESS_COOKIE]: token } : {} });
      expect(response.status, `${name}: ${post.name}`).toBeLessThan(500);
      await response.text();
    }
  }
  await expectNothingChanged();

  // Positive control: the same button, posted by the admin for another account, does promote.
  const other = await newAccount("admin-promoted");
  const form = await readActionForm(`/admin/users/${other.userId}`, "role", admin.cookies);
  const response = await postFormWithoutJs({ path: `/admin/users/${other.userId}`, form, fields: {}, headers, cookies: admin.cookies });
  expect(response.status).toBeLessThan(400);
  const view = await send(`/api/admin/users/${other.userId}`, { cookies: admin.cookies });
  expect(((await view.json()) as { user: { role: string } }).user.role).toBe("admin");
});
