import { test, expect } from "@playwright/test";
import { ACCESS_COOKIE } from "../e2e/support/cookies";
import { APP_URL } from "../e2e/support/servers";
import { newAccount, signIn, type Account } from "./support/accounts";
import { expectError, send, sendFollowingRsc, type Cookies } from "./support/http";

// SECURITY.md "Next.js specifics": the middleware is an optimistic gate only.
// Headers that once made Next skip it (CVE-2025-29927's x-middleware-subrequest)
// or that make our own matcher skip it (prefetches) must not open a protected
// page or API: the data access layer checks again. Tried anonymously, with a
// garbage access cookie, and with the still-valid JWT of a signed-out session
// (which the middleware itself lets through).

const ROUTER_STATE_TREE = encodeURIComponent(JSON.stringify(["", { children: ["__PAGE__", {}] }]));

const BYPASS_HEADERS: Record<string, Record<string, string>> = {
  "x-middleware-subrequest: middleware": { "x-middleware-subrequest": "middleware" },
  "x-middleware-subrequest: middleware x5": { "x-middleware-subrequest": Array(5).fill("middleware").join(":") },
  "x-middleware-subrequest: src/middleware x5": { "x-middleware-subrequest": Array(5).fill("src/middleware").join(":") },
  "x-middleware-subrequest: pages/_middleware": { "x-middleware-subrequest": "pages/_middleware" },
  "x-middleware-subrequest: middleware x50": { "x-middleware-subrequest": Array(50).fill("middleware").join(":") },
  "x-middleware-subrequest: mixed repeats": {
    "x-middleware-subrequest": ["middleware", "src/middleware", "pages/_middleware", "proxy", "src/proxy"].join(":").repeat(3),
  },
  "x-middleware-prefetch: 1": { "x-middleware-prefetch": "1" },
  "x-nextjs-data: 1": { "x-nextjs-data": "1" },
  "x-invoke-status / x-invoke-path": { "x-invoke-status": "200", "x-invoke-path": "/dashboard", "x-middleware-invoke": "1" },
  "RSC: 1 with Next-Router-State-Tree": { rsc: "1", "next-router-state-tree": ROUTER_STATE_TREE },
  "RSC: 1 with Next-Router-State-Tree and x-middleware-subrequest": {
    rsc: "1",
    "next-router-state-tree": ROUTER_STATE_TREE,
    "x-middleware-subrequest": Array(5).fill("middleware").join(":"),
  },
  // Our matcher skips prefetches (they must not rotate tokens): the page alone decides.
  "Next-Router-Prefetch: 1 (skips the middleware)": { rsc: "1", "next-router-prefetch": "1", "next-router-state-tree": ROUTER_STATE_TREE },
  "Purpose: prefetch (skips the middleware)": { purpose: "prefetch" },
  "Purpose: prefetch with RSC: 1": { purpose: "prefetch", rsc: "1", "next-router-state-tree": ROUTER_STATE_TREE },
};

/** Text that only the signed-in page renders. */
const PAGES: Record<string, string | null> = {
  "/dashboard": "Welcome back",
  "/account": "Your profile, your password",
  "/admin": null,
};

/**
 * Next's answer to `x-middleware-prefetch` when the middleware lets a request
 * through: an empty JSON object, and the page or route handler never runs.
 */
function isSkippedPrefetch(response: Response, body: string): boolean {
  return response.status === 200 && response.headers.get("x-middleware-skip") === "1" && body === "{}";
}

/**
 * Turned away: a redirect to /login; or, for an RSC request, a payload whose
 * only redirect is to /login; or a 404 for a page that does not exist; or
 * nothing rendered at all. Never the page's content, never the user.
 */
async function expectTurnedAway(response: Response, path: string, secrets: string[]): Promise<void> {
  const body = await response.text();
  const context = `${path}: ${response.status} ${body.slice(0, 200)}`;
  const marker = PAGES[path];
  if (marker) expect(body, `${context}: page content`).not.toContain(marker);
  for (const secret of secrets) expect(body, `${context}: user data`).not.toContain(secret);
  if (response.status === 303 || response.status === 307) {
    const location = new URL(response.headers.get("location") ?? "", APP_URL);
    expect(location.origin, context).toBe(APP_URL);
    expect(location.pathname, context).toBe("/login");
  } else if (response.status === 200 && !isSkippedPrefetch(response, body)) {
    expect(response.headers.get("content-type"), context).toContain("text/x-component");
    for (const [, target] of body.matchAll(/NEXT_REDIRECT;[a-z]+;([^;]*);/g)) expect(target, context).toMatch(/^\/login\?next=/);
  } else if (response.status !== 200) {
    expect(marker, `${context}: only a page that does not exist may answer otherwise`).toBeNull();
    expect(response.status, context).toBe(404);
  }
}

/** A protected API refused the caller, or (x-middleware-prefetch) never ran. */
async function expectApiRefused(response: Response, code: string): Promise<void> {
  if (isSkippedPrefetch(response, await response.clone().text())) return;
  await expectError(response, 401, code);
}

let account: Account;
let ended: Cookies;

test.beforeAll(async () => {
  account = await newAccount("bypass");
  const session = await signIn(account);
  expect((await send("/api/auth/logout", { method: "POST", cookies: session.cookies })).status).toBe(204);
  // The JWT still verifies (the middleware lets it through); its session is over.
  ended = { [ACCESS_COOKIE]: session.access };
});

const IDENTITIES: Record<string, () => Cookies> = {
  anonymous: () => ({}),
  "garbage access cookie": () => ({ [ACCESS_COOKIE]: "eyJhbGciOiJub25lIn0.e30." }),
  "valid JWT of a signed-out session": () => ended,
};

/** Variants under which Next renders the page itself for a live session: the ones that could leak. */
const RENDERING = Object.keys(BYPASS_HEADERS).filter((name) => !/Next-Router-Prefetch|x-middleware-prefetch/.test(name));

test("positive control: with a live session the same requests render the page, prefetches that skip the middleware included", async () => {
  for (const name of RENDERING) {
    const response = await sendFollowingRsc("/dashboard", { headers: BYPASS_HEADERS[name], cookies: account.cookies });
    expect(response.status, name).toBe(200);
    expect(await response.text(), name).toContain(account.email);
  }
});

for (const [identity, cookies] of Object.entries(IDENTITIES)) {
  for (const [name, headers] of Object.entries(BYPASS_HEADERS)) {
    test(`${name}, ${identity}: no protected page opens`, async () => {
      for (const path of Object.keys(PAGES)) {
        await expectTurnedAway(await sendFollowingRsc(path, { headers, cookies: cookies() }), path, [account.email, account.name]);
      }
    });
  }

  test(`bypass headers, ${identity}: every protected API answers 401`, async () => {
    const code = identity === "valid JWT of a signed-out session" ? "invalid_session" : "unauthenticated";
    const calls: [string, string, unknown?][] = [
      ["GET", "/api/me"],
      ["GET", "/api/auth/session"],
      ["GET", "/api/auth/sessions"],
      ["POST", "/api/auth/logout-all"],
      ["POST", "/api/auth/change-password", { currentPassword: account.password, newPassword: "a completely new passphrase" }],
      ["DELETE", `/api/auth/sessions/${account.sessionId}`],
    ];
    for (const headers of Object.values(BYPASS_HEADERS)) {
      for (const [method, path, json] of calls) {
        await expectApiRefused(await sendFollowingRsc(path, { method, headers, cookies: cookies(), json }), code);
      }
    }
    // Nothing above reached the account: its own session and password still stand.
    expect((await send("/api/me", { cookies: account.cookies })).status).toBe(200);
  });
}
