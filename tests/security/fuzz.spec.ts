import { test, expect } from "@playwright/test";
import fc from "fast-check";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../e2e/support/cookies";
import { newAccount, signIn, type Account } from "./support/accounts";
import { ENDPOINTS, label, pathOf, routeHandlersOnDisk, type Endpoint } from "./support/endpoints";
import { expectErrorShape, send, type SendOptions } from "./support/http";

// Property-based fuzzing (fast-check) of every route handler: whatever the
// body, fields, content type, method or credentials, the answer is a 2xx, or a
// 4xx in the contract's error shape; never a 5xx (contract invariant 7). Next's
// own 405 for a method a route does not export (empty body, no handler ran) is
// the one bodiless refusal. Requests come from a new address each (send()), so
// the per-IP limits answer 429 only now and then, which is a fine 4xx.
// A failure prints fast-check's seed and path; FUZZ_SEED=<seed> replays the run.

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

type Attempt = { method: string; options: SendOptions; context: string };

let account: Account;
test.beforeAll(async () => {
  account = await newAccount("fuzz");
});

/** A fresh session for each session endpoint's run, so an earlier logout does not turn the rest into 401s. */
async function credentials(endpoint: Endpoint): Promise<SendOptions["cookies"]> {
  if (endpoint.auth !== "session") return {};
  return (await signIn(account)).cookies;
}

async function expectWellFormed(attempt: Attempt, path: string): Promise<void> {
  const response = await send(path, { method: attempt.method, ...attempt.options });
  const text = await response.text();
  const context = `${attempt.method} ${path} ${attempt.context}: ${response.status} ${text.slice(0, 200)}`;
  expect(response.status, context).toBeLessThan(500);
  expect(response.status, context).not.toBeLessThan(200);
  expect(response.status >= 300 && response.status < 400, `${context}: no redirect from an API`).toBe(false);
  if (response.status < 300 || attempt.method === "HEAD") return;
  if (response.status === 405 && text === "") return;
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
    const path = () => pathOf(endpoint, account.sessionId);

    if (endpoint.fields) {
      const fields = endpoint.fields;

      test("arbitrary JSON bodies", async () => {
        const cookies = await credentials(endpoint);
        await check(
          fc.asyncProperty(
            fc.jsonValue().map((value): Attempt => ({ method: endpoint.method, options: { json: value, cookies }, context: JSON.stringify(value)?.slice(0, 200) ?? "" })),
            (attempt) => expectWellFormed(attempt, path()),
          ),
        );
      });

      test("its own fields holding anything, with arbitrary extra keys", async () => {
        const cookies = await credentials(endpoint);
        const body = fc
          .tuple(
            fc.record(Object.fromEntries(fields.map((field) => [field, anyFieldValue])), { requiredKeys: [] }),
            fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
          )
          .map(([own, extra]) => ({ ...extra, ...own }));
        await check(
          fc.asyncProperty(
            body.map((value): Attempt => ({ method: endpoint.method, options: { json: value, cookies }, context: JSON.stringify(value).slice(0, 200) })),
            (attempt) => expectWellFormed(attempt, path()),
          ),
        );
      });
    }

    test("any method, content type, raw body and credentials", async () => {
      const attempt = fc
        .record({
          method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", endpoint.method),
          contentType: fc.oneof(
            fc.constantFrom("application/json", "application/json; charset=utf-16", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"),
            printable(60),
          ),
          body: fc.oneof(fc.string({ unit: "binary", maxLength: 500 }), fc.jsonValue().map((value) => JSON.stringify(value) ?? "")),
          access: fc.option(printable(300), { nil: undefined }),
          refresh: fc.option(printable(300), { nil: undefined }),
          authorization: fc.option(fc.oneof(printable(300), printable(300).map((token) => `Bearer ${token}`)), { nil: undefined }),
        })
        .map(({ method, contentType, body, access, refresh, authorization }): Attempt => {
          const cookies: Record<string, string> = {};
          // A cookie value cannot hold ";" or ",": the header would read as more cookies.
          if (access !== undefined) cookies[ACCESS_COOKIE] = access.replace(/[;,]/g, "");
          if (refresh !== undefined) cookies[REFRESH_COOKIE] = refresh.replace(/[;,]/g, "");
          const headers: Record<string, string> = { "content-type": contentType };
          if (authorization !== undefined) headers.authorization = authorization;
          const withBody = method !== "GET" && method !== "HEAD";
          return {
            method,
            options: { headers, cookies, body: withBody ? body : undefined },
            context: JSON.stringify({ contentType, body: body.slice(0, 80), access, refresh, authorization }).slice(0, 300),
          };
        });
      await check(fc.asyncProperty(attempt, (value) => expectWellFormed(value, path())));
    });
  });
}
