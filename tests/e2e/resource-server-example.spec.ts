import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { SignJWT, decodeProtectedHeader, generateKeyPair } from "jose";
import { createResourceServer } from "../../examples/resource-server/server";
import { expect, test } from "@playwright/test";
import { APP_URL } from "./support/servers";
import { signUpAndVerify, uniqueEmail } from "./support/users";

// examples/resource-server: another service verifying Doorman's access tokens
// against the running app's JWKS, with jose's remote key set.

let server: Server;
let origin: string;

test.beforeAll(async () => {
  // No clock slack: the e2e tokens live 4 seconds and the test watches one expire.
  server = createResourceServer(APP_URL, { clockToleranceSeconds: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const askWith = (token: string) => fetch(origin, { headers: { authorization: `Bearer ${token}` } });

test("accepts Doorman's access token and tells who is asking; refuses forgeries and expired tokens", async ({ request }) => {
  const user = await signUpAndVerify(request, uniqueEmail("resource"));
  const granted = await request.post("/api/auth/token", {
    data: { grant_type: "password", email: user.email, password: user.password },
    headers: { "x-forwarded-for": "198.51.100.91" },
  });
  expect(granted.status()).toBe(200);
  const { access_token: token } = await granted.json();

  const ok = await askWith(token);
  expect(ok.status).toBe(200);
  const me = await (await request.get("/api/me", { headers: { authorization: `Bearer ${token}` } })).json();
  expect(await ok.json()).toMatchObject({ userId: me.user.id, role: "user" });

  // Same claims and kid, signed by a key that is not Doorman's.
  const { privateKey } = await generateKeyPair("ES256");
  const [, payload] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
  const forged = await new SignJWT(claims).setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: decodeProtectedHeader(token).kid! }).sign(privateKey);
  expect((await askWith(forged)).status).toBe(401);
  expect((await askWith("not.a.token")).status).toBe(401);
  expect((await fetch(origin)).status).toBe(401);

  // The e2e app's access tokens live 4 seconds.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const expired = await askWith(token);
  expect(expired.status).toBe(401);
  expect((await expired.json()).error.code).toBe("token_expired");
});
