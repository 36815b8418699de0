import { test, expect } from "@playwright/test";
import fc from "fast-check";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../e2e/support/cookies";
import { newAccount, signInAsAdmin, type Account } from "./support/accounts";
import { CONTENT_TYPE, ENDPOINTS, encode, encodingsOf, fieldsOf, label, pathOf, routeHandlersOnDisk, validBody, type Endpoint } from "./support/endpoints";
import { APP_URL, E2E_NATIVE_CLIENT } from "../e2e/support/servers";
import { expectErrorShape, send, type Cookies, type SendOptions } from "./support/http";

// Property-based fuzzing (fast-check) of every route handler: whatever the
// body, fields, encoding, content type, method, path id, query or credentials,
// the answer is a 2xx, or a 4xx in the contract's error shape; never a 5xx
// (contract invariant 7). Next's own 405 for a method a route does not export
// (empty body, no handler ran) is the one bodiless refusal. Requests come from
// a new address each (send()), so the per-IP limits answer 429 only now and
// then, which is a fine 4xx. Admin routes are fuzzed with a live admin session,
// their `[id]` being a real (throwaway) user's, so the fuzz reaches the actions.
// A failure prints fast-check's seed and path; FUZZ_SEED=<seed> replays the run.
// The authorization endpoint, which a browser navigates to, answers with
// redirects and an HTML page instead (expectBrowserAnswer).

const RUNS = Number(process.env.FUZZ_RUNS || 50);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

const printable = (maxLength = 200) => fc.string({ unit: "grapheme-ascii", maxLength });

/** Anything a field might be sent as: text of every kind, addresses, and any JSON. */
const anyFieldValue = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ unit: "grapheme", minLength: 12, maxLength: 80 }),
  fc.emailAddress(),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Text of every kind, for places that only carry text: form values, path segments, search parameters. */
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 120 }),
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.constantFrom("' OR 1=1 --", "\u0000", "%00", "%", "null", "-1", "1e400", "0x10", "[]", "{}"),
);

const encodable = (text: string) => {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false; // a lone surrogate: no URL can carry it
  }
};

/** A path segment for `[id]`: UUIDs, near-UUIDs and anything else; never "." or "..", which the URL itself resolves away. */
const anyId = fc
  .oneof(fc.uuid(), fc.uuid().map((id) => id.toUpperCase()), fc.uuid().map((id) => `${id}x`), anyText.filter((text) => text.length > 0))
  .filter((id) => encodable(id) && !/^\.{1,2}$/.test(id));

/** An admin users-list cursor as the app encodes it (base64url JSON), its parts right, wrong or extreme. */
const anyCursor = fc
  .record({
    d: fc.oneof(fc.constantFrom("a", "b"), fc.string({ maxLength: 3 })),
    t: fc.oneof(fc.date({ noInvalidDate: true }).map((date) => date.toISOString()), fc.constantFrom("0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"), fc.string()),
    i: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })),
  })
  .map((cursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url"));

type Attempt = { method: string; options: SendOptions; context: string; path?: string };

let account: Account;
/** Whose id fills an admin route's `[id]`: the fuzz may disable, enable or promote it at will. */
let target: Account;
test.beforeAll(async () => {
  [account, target] = await Promise.all([newAccount("fuzz"), newAccount("fuzz-target")]);
});

/**
 * Fresh credentials for each run, so an earlier logout does not turn the rest
 * into 401s; for session endpoints a fresh account too, since a fuzzed current
 * password counts against the account's sign-in throttle.
 */
async function credentials(endpoint: Endpoint): Promise<Cookies> {
  if (endpoint.auth === "session") return (await newAccount("fuzz-session")).cookies;
  if (endpoint.auth === "admin") return (await signInAsAdmin()).cookies;
  return {};
}

async function expectWellFormed(attempt: Attempt, path: string, endpoint?: Endpoint): Promise<void> {
  const url = attempt.path ?? path;
  const response = await send(url, { method: attempt.method, ...attempt.options });
  const text = await response.text();
  const context = `${attempt.method} ${url} ${attempt.context}: ${response.status} ${text.slice(0, 200)}`;
  expect(response.status, context).toBeLessThan(500);
  expect(response.status, context).not.toBeLessThan(200);
  if (endpoint?.browser && (attempt.method === endpoint.method || attempt.method === "HEAD")) return expectBrowserAnswer(response, text, context, attempt.method === "HEAD");
  expect(response.status >= 300 && response.status < 400, `${context}: no redirect from an API`).toBe(false);
  if (response.status < 300 || attempt.method === "HEAD") return;
  if (response.status === 405 && text === "") return;
  expectErrorShape(text, context);
}

/**
 * The authorization endpoint: a 303 to the sign-in page or to the registered
 * redirect URI (never anywhere else: RFC 6749 §4.1.2.1), or the HTML page
 * that refuses to redirect; a failure of ours is the JSON error shape.
 */
function expectBrowserAnswer(response: Response, text: string, context: string, head: boolean): void {
  if (response.status === 303) {
    const location = response.headers.get("location") ?? "";
    const target = new URL(location);
    const back = `${target.protocol}${target.host ? `//${target.host}` : ""}${target.pathname}`;
    const toLogin = target.origin === APP_URL && target.pathname === "/login";
    expect(toLogin || E2E_NATIVE_CLIENT.redirectUris.includes(back), `${context}: redirected to ${location}`).toBe(true);
    return;
  }
  expect(response.status, context).toBeGreaterThanOrEqual(400);
  if ((response.headers.get("content-type") ?? "").startsWith("text/html")) {
    expect(response.status, context).toBe(400);
    expect(text, context).not.toMatch(/<script|onerror/i);
    return;
  }
  if ((response.status === 405 && text === "") || head) return;
  expectErrorShape(text, context);
}

async function check(property: fc.IAsyncProperty<[Attempt]>): Promise<void> {
  await fc.assert(property, { numRuns: RUNS, seed: SEED });
}

test("the fuzzed endpoints are exactly the app's route handlers", () => {
  const key = (e: { method: string; route: string }) => `${e.method} ${e.route}`;
  expect(ENDPOINTS.map(key).sort()).toEqual(routeHandlersOnDisk().map(key).sort());
});

for (const endpoint of ENDPOINTS) {
  test.describe(label(endpoint), () => {
    test.describe.configure({ timeout: 120_000 });
    const path = () => pathOf(endpoint, endpoint.auth === "admin" ? target.userId : account.sessionId);

    if (endpoint.bodies) {
      const bodies = endpoint.bodies;
      const names = [...new Set(bodies.flatMap(fieldsOf))];
      /** Values that select a shape (a grant_type): a field holds one often enough to get past that check. */
      const selecting = (field?: string) =>
        bodies.flatMap((body) => Object.entries(body.values ?? {}).flatMap(([name, value]) => (field === undefined || name === field ? [value!] : [])));
      const valueOf = (field: string) => (selecting(field).length > 0 ? fc.oneof(fc.constantFrom(...selecting(field)), anyFieldValue) : anyFieldValue);
      const ownFields = fc
        .tuple(
          fc.record(Object.fromEntries(names.map((field) => [field, valueOf(field)])), { requiredKeys: [] }),
          fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
        )
        .map(([own, extra]) => ({ ...extra, ...own }));

      test("arbitrary JSON bodies", async () => {
        const cookies = await credentials(endpoint);
        await check(
          fc.asyncProperty(
            fc.jsonValue().map((value): Attempt => ({ method: endpoint.method, options: { json: value, cookies }, context: JSON.stringify(value)?.slice(0, 200) ?? "" })),
            (attempt) => expectWellFormed(attempt, path()),
          ),
        );
      });

      for (const encoding of encodingsOf(endpoint)) {
        test(`its own fields holding anything, with arbitrary extra keys (${encoding})`, async () => {
          const cookies = await credentials(endpoint);
          // A form carries text only: anything else is sent as its JSON text.
          const asSent = (body: Record<string, unknown>) =>
            encoding === "json" ? body : Object.fromEntries(Object.entries(body).map(([name, value]) => [name, typeof value === "string" ? value : JSON.stringify(value) ?? ""]));
          await check(
            fc.asyncProperty(
              ownFields.map((value): Attempt => ({
                method: endpoint.method,
                options: { ...encode(encoding, asSent(value)), cookies },
                context: JSON.stringify(value).slice(0, 200),
              })),
              (attempt) => expectWellFormed(attempt, path()),
            ),
          );
        });
      }

      if (encodingsOf(endpoint).includes("form")) {
        test("arbitrary form bodies: any names and values, names repeated, raw text", async () => {
          const cookies = await credentials(endpoint);
          const name = fc.oneof(fc.constantFrom(...names, "__proto__", "constructor", "__proto__[role]"), fc.string({ maxLength: 20 }));
          const value = selecting().length > 0 ? fc.oneof(fc.constantFrom(...selecting()), anyText) : anyText;
          const pairs = fc.array(fc.tuple(name, value), { maxLength: 8 });
          const body = fc.oneof(
            pairs.map((list) => new URLSearchParams(list).toString()),
            fc.string({ unit: "binary", maxLength: 300 }),
            printable(300),
          );
          await check(
            fc.asyncProperty(
              body.map((text): Attempt => ({ method: endpoint.method, options: { body: text, headers: { "content-type": CONTENT_TYPE.form }, cookies }, context: JSON.stringify(text.slice(0, 200)) })),
              (attempt) => expectWellFormed(attempt, path()),
            ),
          );
        });
      }
    }

    if (endpoint.route.includes("[id]")) {
      test("arbitrary ids in the path, with live credentials", async () => {
        const cookies = await credentials(endpoint);
        const body = endpoint.bodies ? { json: validBody(endpoint.bodies[0]!) } : {};
        await check(
          fc.asyncProperty(
            anyId.map((id): Attempt => ({ method: endpoint.method, path: pathOf(endpoint, encodeURIComponent(id)), options: { ...body, cookies }, context: JSON.stringify(id) })),
            (attempt) => expectWellFormed(attempt, path()),
          ),
        );
      });
    }

    if (endpoint.query) {
      const params = endpoint.query;
      test("arbitrary query strings, names repeated, with live credentials", async () => {
        const cookies = await credentials(endpoint);
        const value = fc.oneof(anyText, fc.integer().map(String), fc.double().map(String), anyCursor);
        const query = fc.oneof(
          fc.array(fc.tuple(fc.oneof(fc.constantFrom(...params), fc.string({ maxLength: 10 })), value), { maxLength: 6 }).map((pairs) => new URLSearchParams(pairs).toString()),
          printable(200).map((text) => text.replace(/#/g, "")),
        );
        await check(
          fc.asyncProperty(
            query.map((search): Attempt => ({ method: endpoint.method, path: `${path()}?${search}`, options: { cookies }, context: JSON.stringify(search) })),
            (attempt) => expectWellFormed(attempt, path()),
          ),
        );
      });
    }

    if (endpoint.browser) {
      const valid = endpoint.browser.query;
      test("search parameters each kept, dropped, repeated or replaced by anything, with a signed-in browser and without", async () => {
        const signedIn = (await newAccount("fuzz-authorize")).cookies;
        const value = fc.oneof(anyText, fc.constantFrom(...Object.values(valid)));
        const param = (name: string) =>
          fc.oneof(
            fc.constant([[name, valid[name]!]]),
            fc.constant([]),
            fc.tuple(value, value).map(([a, b]) => [[name, a], [name, b]]),
            value.map((text) => [[name, text]]),
          );
        const query = fc
          .tuple(
            fc.tuple(...Object.keys(valid).map(param)),
            fc.array(fc.tuple(fc.string({ maxLength: 10 }), value), { maxLength: 3 }),
            fc.boolean(),
          )
          .filter(([pairs, extra]) => [...pairs.flat(), ...extra].every(([name, text]) => encodable(name!) && encodable(text!)))
          .map(([pairs, extra, withSession]): Attempt => {
            const search = new URLSearchParams([...pairs.flat(), ...extra] as [string, string][]).toString();
            return { method: "GET", path: `${path()}?${search}`, options: { cookies: withSession ? signedIn : {} }, context: JSON.stringify({ search, withSession }) };
          });
        await check(fc.asyncProperty(query, (attempt) => expectWellFormed(attempt, path(), endpoint)));
      });
    }

    test("any method, content type, raw body and credentials", async () => {
      const live = await credentials(endpoint);
      const attempt = fc
        .record({
          method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", endpoint.method),
          contentType: fc.oneof(
            fc.constantFrom("application/json", "application/json; charset=utf-16", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"),
            printable(60),
          ),
          body: fc.oneof(fc.string({ unit: "binary", maxLength: 500 }), fc.jsonValue().map((value) => JSON.stringify(value) ?? "")),
          // The endpoint's own live credentials now and then (an admin's, for the admin API), else whatever the cookies say.
          live: fc.boolean(),
          access: fc.option(printable(300), { nil: undefined }),
          refresh: fc.option(printable(300), { nil: undefined }),
          authorization: fc.option(fc.oneof(printable(300), printable(300).map((token) => `Bearer ${token}`)), { nil: undefined }),
        })
        .map(({ method, contentType, body, live: useLive, access, refresh, authorization }): Attempt => {
          const cookies: Record<string, string> = {};
          // A cookie value cannot hold ";" or ",": the header would read as more cookies.
          if (access !== undefined) cookies[ACCESS_COOKIE] = access.replace(/[;,]/g, "");
          if (refresh !== undefined) cookies[REFRESH_COOKIE] = refresh.replace(/[;,]/g, "");
          const headers: Record<string, string> = { "content-type": contentType };
          if (authorization !== undefined) headers.authorization = authorization;
          const withBody = method !== "GET" && method !== "HEAD";
          return {
            method,
            options: { headers, cookies: useLive && Object.keys(live).length > 0 ? live : cookies, body: withBody ? body : undefined },
            context: JSON.stringify({ contentType, body: body.slice(0, 80), live: useLive, access, refresh, authorization }).slice(0, 300),
          };
        });
      await check(fc.asyncProperty(attempt, (value) => expectWellFormed(value, path(), endpoint)));
    });
  });
}
