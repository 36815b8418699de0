import { test, expect } from "@playwright/test";
import { APP_URL } from "../e2e/support/servers";
import { newAccount, type Account } from "./support/accounts";
import { send } from "./support/http";
import { callAction, postFormWithoutJs, readActionForm } from "./support/server-actions";

// SECURITY.md "Redirects and links": `next=` resolves against APP_URL and must
// keep its origin. The corpus goes through every way a `next` reaches a
// redirect: the sign-in form's server action (with and without JavaScript),
// the JSON login (which redirects nowhere), and /login visited while signed in.
// Each must land on /dashboard, the fallback; the same-site paths in KEPT are
// honoured, so the fallback is the corpus's doing.

const CORPUS = [
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "/\\/evil.example",
  "\\\\evil.example",
  "/%09/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  " //evil.example",
  "/%5Cevil.example",
  "/%5cevil.example",
  "/%2F%2Fevil.example",
  "/%2f%2fevil.example",
  "/.//evil.example",
  "https:evil.example",
  "https://evil.example",
  "http:/\\evil.example",
  "HTTPS://evil.example/dashboard",
  "//evil.example@localhost",
  "//localhost@evil.example",
  "javascript:alert(1)",
  "JavaScript:alert(document.cookie)",
  "data:text/html,<script>alert(1)</script>",
  // Control characters and whitespace, raw or decoded, go home (lib/http/same-origin-path.ts).
  "/a b",
  "/a%20b", // once a stack overflow (a 500); now a space once decoded
  "/%0d%0aSet-Cookie:%20pwned=1",
];

/**
 * Same-site paths that must be honoured, not crash. Regression: the URL parser
 * re-encodes these, so decoding them never reached a fixed point and the check
 * recursed until the stack overflowed (a 500 for /login?next=/a%20b).
 */
const KEPT: [string, string][] = [
  ["/account?tab=devices", "/account?tab=devices"],
  ["/café", "/caf%C3%A9"],
  ["/caf%C3%A9", "/caf%C3%A9"],
];

/** Every value with where it must land. */
const CASES: [string, string][] = [...CORPUS.map((value): [string, string] => [value, "/dashboard"]), ...KEPT];

/**
 * Where a browser would go: it drops tabs and newlines anywhere in a URL and
 * reads "\" as "/" in http(s) URLs, so the header is judged as it would read it.
 */
function destination(location: string | null, context: string): URL {
  expect(location, `${context}: a redirect target`).toBeTruthy();
  const asBrowser = location!.replace(/[\t\n\r]/g, "").replace(/\\/g, "/");
  const url = new URL(asBrowser, APP_URL);
  expect(url.origin, context).toBe(APP_URL);
  return url;
}

function expectLandsOn(location: string | null, expected: string, context: string): void {
  const url = destination(location, context);
  expect(`${url.pathname}${url.search}`, context).toBe(expected);
}

/** The path of Next's client-side redirect header after an action: "<path>;push". */
const actionRedirect = (response: Response) => response.headers.get("x-action-redirect")?.replace(/;(push|replace)$/, "") ?? null;

let account: Account;
test.beforeAll(async () => {
  account = await newAccount("redirect");
});

const credentials = () => ({ email: account.email, password: account.password });

test("sign-in form without JavaScript: every next= in the corpus lands on /dashboard", async () => {
  const form = await readActionForm("/login", "password");
  for (const [next, expected] of CASES) {
    const response = await postFormWithoutJs({ path: "/login", form, fields: { ...credentials(), next } });
    expect(response.status, JSON.stringify(next)).toBe(303);
    expectLandsOn(response.headers.get("location"), expected, JSON.stringify(next));
  }
});

test("sign-in through the Next-Action call: every next= in the corpus lands on /dashboard", async () => {
  const form = await readActionForm("/login", "password");
  for (const [next, expected] of CASES) {
    const response = await callAction({ path: "/login", form, fields: { ...credentials(), next } });
    expect(response.status, JSON.stringify(next)).toBe(200);
    expectLandsOn(actionRedirect(response), expected, JSON.stringify(next));
  }
});

test("the sign-in page hands its form only a same-site next", async () => {
  for (const [next, expected] of CASES) {
    const form = await readActionForm(`/login?next=${encodeURIComponent(next)}`, "password");
    const hidden = form.hidden.find(([name]) => name === "next")?.[1] ?? null;
    expectLandsOn(hidden, expected, JSON.stringify(next));
  }
});

test("/login?next= visited while signed in: the redirect stays home", async () => {
  for (const [next, expected] of CASES) {
    const response = await send(`/login?next=${encodeURIComponent(next)}`, { cookies: account.cookies });
    expect(response.status, JSON.stringify(next)).toBe(307);
    expectLandsOn(response.headers.get("location"), expected, JSON.stringify(next));
  }
});

test("the JSON login redirects nowhere, whatever next= it is given", async () => {
  for (const next of ["//evil.example", "https://evil.example", "javascript:alert(1)", "/\\evil.example"]) {
    const response = await send(`/api/auth/login?next=${encodeURIComponent(next)}`, { json: { ...credentials(), next } });
    expect(response.status, next).toBe(200);
    expect(response.headers.get("location"), next).toBeNull();
    expect(Object.keys((await response.json()) as object), next).toEqual(["user"]);
  }
});

test("a protected page sends the anonymous visitor to /login with the path as next, on our origin", async () => {
  for (const path of ["/dashboard?then=//evil.example", "/account?next=https://evil.example"]) {
    const response = await send(path);
    expect(response.status, path).toBe(303);
    const url = destination(response.headers.get("location"), path);
    expect(url.pathname).toBe("/login");
    expect(decodeURIComponent(url.searchParams.get("next") ?? "")).toBe(path);
  }
});
