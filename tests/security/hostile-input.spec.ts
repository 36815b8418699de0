import { test, expect } from "@playwright/test";
import { ACCESS_COOKIE } from "../e2e/support/cookies";
import { linkIn, mailbox } from "../e2e/support/mailbox";
import { uniqueEmail } from "../e2e/support/users";
import { newAccount, type Account } from "./support/accounts";
import { JSON_BODY, label, validBody, type Endpoint, type Field } from "./support/endpoints";
import { expectError, expectErrorShape, issuedAuthCookies, send, type SendOptions } from "./support/http";

// SECURITY.md "Input" and contract invariant 7, on every endpoint that reads a
// JSON body: oversized bodies are refused before parsing, malformed or
// prototype-polluting JSON and wrong types get 400 with the fields named, and
// hostile strings in any field get a clear answer, never a 5xx, never echoed.
// Every error body is exactly {error: {code, message, fields?}} (expectError).

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

let account: Account;
test.beforeAll(async () => {
  account = await newAccount("hostile");
});

/** Session endpoints get a live session, so the body is what gets judged. */
const sendTo = (endpoint: Endpoint, options: SendOptions) =>
  send(endpoint.route, { method: endpoint.method, ...options, cookies: endpoint.auth === "session" ? account.cookies : {} });

const json = (body: string) => ({ body, headers: { "content-type": "application/json" } });

/** A 1 MB body that arrives in chunks with no Content-Length. */
function streamed(totalBytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      sent += 16 * KB;
      controller.enqueue(new TextEncoder().encode(`{"a":"${"x".repeat(16 * KB - 7)}",`));
    },
  });
}

for (const endpoint of JSON_BODY) {
  test.describe(label(endpoint), () => {
    test("bodies over 16 KB are refused with 413 before parsing", async () => {
      // Not even JSON: had it been parsed first, the answer would be invalid_json.
      await expectError(await sendTo(endpoint, json("x".repeat(KB * KB))), 413, "payload_too_large");
      await expectError(await sendTo(endpoint, json(JSON.stringify({ ...validBody(endpoint.fields), pad: "x".repeat(17 * KB) }))), 413, "payload_too_large");
      await expectError(await sendTo(endpoint, { body: streamed(KB * KB), headers: { "content-type": "application/json" } }), 413, "payload_too_large");
    });

    test("malformed JSON, __proto__ and constructor.prototype are 400 invalid_json", async () => {
      const valid = JSON.stringify(validBody(endpoint.fields)).slice(1, -1);
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
        await expectError(await sendTo(endpoint, json(body)), 400, "invalid_json").catch((error: Error) => {
          throw new Error(`${JSON.stringify(body.slice(0, 80))}: ${error.message}`);
        });
      }
      // Bytes that are not UTF-8.
      await expectError(await sendTo(endpoint, { body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: { "content-type": "application/json" } }), 400, "invalid_json");
    });

    test("other JSON than the object it reads, wrong types and missing fields are 400 invalid_request naming the fields", async () => {
      for (const body of [null, [], "text", 42, true, [validBody(endpoint.fields)]]) {
        const answer = await expectError(await sendTo(endpoint, { json: body }), 400, "invalid_request");
        expect(Object.keys(answer.error.fields ?? {}), JSON.stringify(body)).toEqual(["body"]);
      }
      for (const field of endpoint.fields) {
        for (const wrong of [123, true, null, {}, [], [validBody([field])[field]]]) {
          const answer = await expectError(await sendTo(endpoint, { json: { ...validBody(endpoint.fields), [field]: wrong } }), 400, "invalid_request");
          expect(Object.keys(answer.error.fields ?? {}), `${field}: ${JSON.stringify(wrong)}`).toEqual([field]);
        }
        const { [field]: _missing, ...rest } = validBody(endpoint.fields);
        const answer = await expectError(await sendTo(endpoint, { json: rest }), 400, "invalid_request");
        expect(Object.keys(answer.error.fields ?? {}), `without ${field}`).toEqual([field]);
      }
    });

    test("injection strings in any field: a clear answer, never a 5xx, never echoed", async () => {
      test.setTimeout(120_000);
      for (const field of endpoint.fields as readonly Field[]) {
        for (const injection of INJECTIONS) {
          const response = await sendTo(endpoint, { json: { ...validBody(endpoint.fields), [field]: injection } });
          const text = await response.text();
          const context = `${field} = ${JSON.stringify(injection.slice(0, 40))}: ${response.status} ${text.slice(0, 200)}`;
          expect(response.status, context).toBeLessThan(500);
          if (response.status >= 400) expectErrorShape(text, context);
          expect(text, context).not.toMatch(NEVER_ECHOED);
        }
      }
    });
  });
}

test("an Authorization header over 4 KB is refused as no token at all", async () => {
  for (const size of [4 * KB + 1, 12 * KB]) {
    const junk = `eyJ${"A".repeat(size - 3)}`;
    await expectError(await send("/api/me", { headers: { authorization: `Bearer ${junk}` } }), 401, "unauthenticated");
    await expectError(await send("/api/me", { cookies: { [ACCESS_COOKIE]: junk } }), 401, "unauthenticated");
  }
});

test("a name full of markup reaches email and pages escaped", async () => {
  const email = uniqueEmail("markup");
  const name = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  const signup = await send("/api/auth/signup", { json: { name, email, password: "a passphrase for the markup test" } });
  expect(signup.status).toBe(202);
  const message = await mailbox.latest(email);
  expect(message.html).not.toMatch(NEVER_ECHOED);
  expect(message.html).toMatch(ESCAPED_SCRIPT);

  const verify = await send("/api/auth/verify-email", { json: { token: linkIn(message, "/verify-email").searchParams.get("token") } });
  expect(verify.status).toBe(200);
  const page = await send("/dashboard", { cookies: issuedAuthCookies(verify) });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).not.toMatch(NEVER_ECHOED);
  expect(html).toMatch(ESCAPED_SCRIPT);
});
