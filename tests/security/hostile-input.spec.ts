import { test, expect } from "@playwright/test";
import { ACCESS_COOKIE } from "../e2e/support/cookies";
import { linkIn, mailbox } from "../e2e/support/mailbox";
import { uniqueEmail } from "../e2e/support/users";
import { newAccount, signInAsAdmin, signupMarkerOf, type Account, type Session } from "./support/accounts";
import {
  CONTENT_TYPE,
  ENDPOINTS,
  WITH_BODY,
  encode,
  encodingsOf,
  fieldsOf,
  label,
  pathOf,
  validBody,
  validValue,
  type Encoding,
  type Endpoint,
} from "./support/endpoints";
import { expectError, expectErrorShape, issuedAuthCookies, send, sendFollowingRsc, type SendOptions } from "./support/http";

// SECURITY.md "Input" and contract invariant 7, on every endpoint that reads a
// body, in each encoding it takes (JSON, and form-encoded at the native
// clients' endpoints): oversized bodies are refused before parsing, malformed
// or prototype-polluting bodies and wrong types get 400 with the fields named,
// other content types 415, and hostile strings in any field get a clear
// answer, never a 5xx, never echoed. So do the admin list's search parameters
// and every `[id]` in a path. Every error body is exactly
// {error: {code, message, fields?}} (expectError).

const KB = 1024;

const INJECTIONS = [
  "' OR 1=1 --",
  "admin'--",
  '"; DROP TABLE users; --',
  "1; SELECT pg_sleep(5)",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "\u0000",
  "ada\u0000@example.com",
  "\ud800",
  "\udfff\ud800 lone surrogates",
  "\u202eevil\u202c",
  "x".repeat(10_000),
  "${7*7}{{7*7}}<%= 7*7 %>",
  "../../../etc/passwd",
  "%00%0d%0aSet-Cookie: x=1",
  "😀".repeat(100),
  "\\",
];

/** Echoing any of these back would be a reflection; the app's own messages never contain them. */
const NEVER_ECHOED = /<script>|<img src=x onerror|DROP TABLE|pg_sleep|etc\/passwd|Set-Cookie: x/;
/** The markup, escaped as HTML text (React writes &lt;, the email templates &#60;). */
const ESCAPED_SCRIPT = /&(lt|#60|#x3c);script&(gt|#62|#x3e);/i;

/** Content types no endpoint reads. */
const FOREIGN_CONTENT_TYPES = ["text/plain", "multipart/form-data; boundary=x", "application/xml", "application/jsonx", "application/json-seq", ""];

let account: Account;
let admin: Session;
test.beforeAll(async () => {
  [account, admin] = await Promise.all([newAccount("hostile"), signInAsAdmin()]);
});

/** Endpoints that need a session get a live one (an admin's for the admin API), so the body is what gets judged. */
const sendTo = (endpoint: Endpoint, options: SendOptions) =>
  send(pathOf(endpoint), {
    method: endpoint.method,
    ...options,
    cookies: endpoint.auth === "session" ? account.cookies : endpoint.auth === "admin" ? admin.cookies : {},
  });

const raw = (encoding: Encoding, body: BodyInit) => ({ body, headers: { "content-type": CONTENT_TYPE[encoding] } });

/** A 1 MB body that arrives in chunks with no Content-Length. */
function streamed(totalBytes: number, chunk: string): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      sent += chunk.length;
      controller.enqueue(new TextEncoder().encode(chunk));
    },
  });
}

/** What each encoding looks like when it goes on and on. */
const FILLER: Record<Encoding, string> = {
  json: `{"a":"${"x".repeat(16 * KB - 7)}",`,
  form: `a=${"x".repeat(16 * KB - 3)}&`,
};

/** Whether a string is whole UTF-16 (no lone surrogate), which a URL needs. */
const isWellFormed = (text: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

const rethrowWith = (context: string) => (error: Error) => {
  throw new Error(`${context}: ${error.message}`);
};

for (const endpoint of WITH_BODY) {
  test.describe(label(endpoint), () => {
    const [first] = endpoint.bodies;

    for (const encoding of encodingsOf(endpoint)) {
      test(`bodies over 16 KB are refused with 413 before parsing (${encoding})`, async () => {
        // Not even the encoding: had it been parsed first, the answer would be a 400.
        await expectError(await sendTo(endpoint, raw(encoding, "x".repeat(KB * KB))), 413, "payload_too_large");
        await expectError(await sendTo(endpoint, encode(encoding, { ...validBody(first!), pad: "x".repeat(17 * KB) })), 413, "payload_too_large");
        await expectError(await sendTo(endpoint, raw(encoding, streamed(KB * KB, FILLER[encoding]))), 413, "payload_too_large");
      });
    }

    test("malformed JSON, __proto__ and constructor.prototype are 400 invalid_json", async () => {
      const valid = JSON.stringify(validBody(first!)).slice(1, -1);
      for (const body of [
        "{",
        `{${valid}`,
        "{'email': 'a'}",
        "nul",
        "",
        "{}{}",
        `{${valid},}`,
        `{${valid},"__proto__":{"role":"admin"}}`,
        `{${valid},"x":{"__proto__":{"role":"admin"}}}`,
        `{${valid},"constructor":{"prototype":{"role":"admin"}}}`,
      ]) {
        await expectError(await sendTo(endpoint, raw("json", body)), 400, "invalid_json").catch(rethrowWith(JSON.stringify(body.slice(0, 80))));
      }
      // Bytes that are not UTF-8.
      await expectError(await sendTo(endpoint, raw("json", new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))), 400, "invalid_json");
    });

    if (encodingsOf(endpoint).includes("form")) {
      test("form bodies: a name sent twice or named __proto__ is 400 invalid_request; bracketed names are plain names", async () => {
        for (const body of endpoint.bodies) {
          // Form-encoded bodies hold strings only.
          const valid = Object.entries(validBody(body)).map(([name, value]): [string, string] => [name, String(value)]);
          for (const [name, value] of valid) {
            for (const pairs of [
              [...valid, [name, value]],
              [...valid, [name, "something else"]],
              [...valid, ["__proto__", value]],
              [["__proto__", "x"], ...valid],
            ]) {
              const answer = await expectError(await sendTo(endpoint, encode("form", pairs)), 400, "invalid_request").catch(rethrowWith(new URLSearchParams(pairs).toString().slice(0, 120)));
              expect(Object.keys(answer.error.fields ?? {})).toEqual(["body"]);
            }
          }
          // qs-style nesting means nothing here: the answer is the one the valid body alone gets.
          const alone = await sendTo(endpoint, encode("form", valid));
          const expected = { status: alone.status, text: await alone.text() };
          for (const name of ["__proto__[role]", "constructor[prototype][role]", "constructor", "prototype", "toString", "hasOwnProperty"]) {
            const response = await sendTo(endpoint, encode("form", [...valid, [name, "admin"]]));
            expect({ status: response.status, text: await response.text() }, name).toEqual(expected);
          }
        }
        // Bytes that are not UTF-8 are refused too, before any name is read.
        const response = await sendTo(endpoint, raw("form", new Uint8Array([0x61, 0x3d, 0xff, 0xfe])));
        expect(response.status).toBe(400);
        expectErrorShape(await response.text());
      });
    }

    test("other JSON than the object it reads, wrong types and missing fields are 400 invalid_request naming the fields", async () => {
      for (const body of [null, [], "text", 42, true, [validBody(first!)]]) {
        const answer = await expectError(await sendTo(endpoint, { json: body }), 400, "invalid_request");
        expect(Object.keys(answer.error.fields ?? {}), JSON.stringify(body)).toEqual(["body"]);
      }
      for (const body of endpoint.bodies) {
        const valid = validBody(body);
        for (const field of fieldsOf(body)) {
          for (const wrong of [123, true, null, {}, [], [body.values?.[field] ?? validValue(field)]]) {
            if (wrong === null && body.nullable?.includes(field)) continue;
            // A boolean field takes either boolean.
            if (typeof wrong === "boolean" && typeof validValue(field) === "boolean") continue;
            const answer = await expectError(await sendTo(endpoint, { json: { ...valid, [field]: wrong } }), 400, "invalid_request");
            expect(Object.keys(answer.error.fields ?? {}), `${field}: ${JSON.stringify(wrong)}`).toEqual([field]);
          }
        }
        for (const field of body.fields) {
          const { [field]: _missing, ...rest } = valid;
          for (const encoding of encodingsOf(endpoint)) {
            const answer = await expectError(await sendTo(endpoint, encode(encoding, rest)), 400, "invalid_request");
            expect(Object.keys(answer.error.fields ?? {}), `without ${field} (${encoding})`).toEqual([field]);
          }
        }
      }
    });

    test("content types it does not read are 415 unsupported_media_type", async () => {
      const others = [...FOREIGN_CONTENT_TYPES, ...Object.values(CONTENT_TYPE).filter((type) => !encodingsOf(endpoint).some((encoding) => CONTENT_TYPE[encoding] === type))];
      for (const encoding of encodingsOf(endpoint)) {
        for (const contentType of others) {
          const { body } = encode(encoding, validBody(first!));
          await expectError(await sendTo(endpoint, { body, headers: { "content-type": contentType } }), 415, "unsupported_media_type").catch(rethrowWith(`${encoding} body as ${JSON.stringify(contentType)}`));
        }
      }
    });

    test("injection strings in any field: a clear answer, never a 5xx, never echoed", async () => {
      test.setTimeout(120_000);
      for (const body of endpoint.bodies) {
        for (const field of fieldsOf(body)) {
          for (const injection of INJECTIONS) {
            const response = await sendTo(endpoint, { json: { ...validBody(body), [field]: injection } });
            const text = await response.text();
            const context = `${field} = ${JSON.stringify(injection.slice(0, 40))}: ${response.status} ${text.slice(0, 200)}`;
            expect(response.status, context).toBeLessThan(500);
            if (response.status >= 400) expectErrorShape(text, context);
            expect(text, context).not.toMatch(NEVER_ECHOED);
          }
        }
      }
    });
  });
}

/** Cursors shaped as the app makes them (base64url JSON), each wrong or extreme in one part. */
const cursor = (parts: Record<string, unknown>) => Buffer.from(JSON.stringify({ d: "a", t: "2026-01-01T00:00:00.000Z", i: crypto.randomUUID(), ...parts })).toString("base64url");
const HOSTILE_CURSORS = [
  cursor({ t: "0000-01-01T00:00:00.000Z" }),
  cursor({ t: "0001-01-01T00:00:00.000Z" }),
  cursor({ t: "9999-12-31T23:59:59.999Z" }),
  cursor({ t: "2026-02-30T00:00:00Z" }),
  cursor({ i: "00000000-0000-0000-0000-000000000000" }),
  cursor({ i: "' OR 1=1 --" }),
  cursor({ d: "z" }),
  cursor({ __proto__: { d: "b" } }),
  "!!!",
  "x".repeat(201),
];

/** Every way in for the `[id]` of a route or page that is not valid percent-encoding: Next cannot decode it. */
const UNDECODABLE_IDS = ["%", "%ZZ", "%E0%A4%A", "%C0%AF", "%FF", "a%"];

for (const endpoint of ENDPOINTS.filter((endpoint) => endpoint.query)) {
  test(`${label(endpoint)}: injection strings and hostile cursors in each search parameter, on the API and the console page: never a 5xx, never echoed`, async () => {
    for (const param of endpoint.query!) {
      for (const value of [...INJECTIONS, ...(param === "cursor" ? HOSTILE_CURSORS : []), "-1", "1e3", "0", "NaN", "Infinity"]) {
        if (!isWellFormed(value)) continue; // a lone surrogate cannot be put in a URL at all
        const search = new URLSearchParams({ [param]: value }).toString();
        const api = await send(`${pathOf(endpoint)}?${search}`, { cookies: admin.cookies });
        const text = await api.text();
        const context = `${param} = ${JSON.stringify(value.slice(0, 40))}: ${api.status} ${text.slice(0, 200)}`;
        expect(api.status, context).toBeLessThan(500);
        // A 200 lists the accounts that match, whose names other tests made hostile: only refusals must not echo.
        if (api.status >= 400) {
          expect(expectErrorShape(text, context).error.fields?.[param], context).toBeDefined();
          expect(text, context).not.toMatch(NEVER_ECHOED);
        }
        // The console reads the same parameters; what it shows back sits in the search box, escaped.
        const page = await send(`/admin?${search}`, { cookies: admin.cookies });
        const html = await page.text();
        expect(page.status, `/admin: ${context}`).toBe(200);
        expect(html, `/admin: ${context}`).not.toMatch(/<script>alert|<img src=x onerror/);
      }
    }
  });
}

test("ids that are not percent-encoding, in every route and page with one: 400, never a 5xx, whoever asks and however", async () => {
  const routes = ENDPOINTS.filter((endpoint) => endpoint.route.includes("[id]"));
  const identities = { anonymous: {}, "a signed-in user": account.cookies, "an admin": admin.cookies };
  // A prefetch skips the middleware (middleware.ts's matcher), so it must be answered without it too.
  const kinds = { plain: {}, prefetch: { "next-router-prefetch": "1", rsc: "1" } };
  for (const id of UNDECODABLE_IDS) {
    for (const [who, cookies] of Object.entries(identities)) {
      for (const [kind, headers] of Object.entries(kinds)) {
        for (const [method, path] of [...routes.map((endpoint) => [endpoint.method, pathOf(endpoint, id)]), ["GET", `/admin/users/${id}`]]) {
          const response = await send(path!, { method, cookies, headers });
          const text = await response.text();
          const context = `${method} ${path} (${who}, ${kind}): ${response.status} ${text.slice(0, 200)}`;
          expect(response.status, context).toBeLessThan(500);
          // The middleware may turn the anonymous away first; whatever answers, answers in the contract's shape.
          if (response.status >= 400) expectErrorShape(text, context);
          else expect([303, 307], context).toContain(response.status);
        }
      }
    }
  }
});

/** Router-state headers Next's parser refuses: not percent-encoding, not JSON, or JSON of another shape. */
const MALFORMED_ROUTER_STATES = ["%", "%E0%A4%A", "garbage", "[", "{}", "[1,{}]", encodeURIComponent('["",{"children":"x"}]'), encodeURIComponent('["",{},null,"sideways"]')];
const ROUTER_STATE = encodeURIComponent(JSON.stringify(["", { children: ["__PAGE__", {}] }]));

test("a Next-Router-State-Tree header Next cannot parse: 400 in the contract's shape, never a 5xx, on any page, prefetch or not", async () => {
  const identities = { anonymous: {}, "a signed-in user": account.cookies };
  const kinds = { navigation: { rsc: "1" }, prefetch: { rsc: "1", "next-router-prefetch": "1" } };
  for (const [who, cookies] of Object.entries(identities)) {
    for (const [kind, headers] of Object.entries(kinds)) {
      for (const path of ["/", "/login", "/dashboard", "/account"]) {
        // The control: a well-formed header gets the page's RSC answer, or the sign-in redirect.
        const control = await sendFollowingRsc(path, { cookies, headers: { ...headers, "next-router-state-tree": ROUTER_STATE } });
        expect([200, 303], `${path} (${who}, ${kind}), well-formed: ${control.status}`).toContain(control.status);
        for (const state of MALFORMED_ROUTER_STATES) {
          const response = await sendFollowingRsc(path, { cookies, headers: { ...headers, "next-router-state-tree": state } });
          const text = await response.text();
          const context = `${path} (${who}, ${kind}) with ${JSON.stringify(state)}: ${response.status} ${text.slice(0, 200)}`;
          expect(response.status, context).toBe(400);
          expectErrorShape(text, context);
        }
      }
    }
  }
});

test("an Authorization header over 4 KB is refused as no token at all", async () => {
  for (const size of [4 * KB + 1, 12 * KB]) {
    const junk = `eyJ${"A".repeat(size - 3)}`;
    await expectError(await send("/api/me", { headers: { authorization: `Bearer ${junk}` } }), 401, "unauthenticated");
    await expectError(await send("/api/me", { cookies: { [ACCESS_COOKIE]: junk } }), 401, "unauthenticated");
  }
});

test("a name full of markup never reaches the email, and reaches pages escaped", async () => {
  const email = uniqueEmail("markup");
  const name = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  const signup = await send("/api/auth/signup", { json: { name, email, password: "a passphrase for the markup test" } });
  expect(signup.status).toBe(202);
  const message = await mailbox.latest(email);
  // The verification email carries no name at all, escaped or not (docs/decisions/0019).
  expect(message.html).not.toMatch(NEVER_ECHOED);
  expect(message.html).not.toMatch(ESCAPED_SCRIPT);

  const token = linkIn(message, "/verify-email").searchParams.get("token");
  const verify = await send("/api/auth/verify-email", { json: { token }, cookies: signupMarkerOf(signup) });
  expect(verify.status).toBe(200);
  const page = await send("/dashboard", { cookies: issuedAuthCookies(verify) });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).not.toMatch(NEVER_ECHOED);
  expect(html).toMatch(ESCAPED_SCRIPT);
});
