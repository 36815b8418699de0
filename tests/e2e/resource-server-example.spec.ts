import type { Server } from "node:http";
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from "jose";
import { createResourceServer } from "../../examples/resource-server/server";
import { expect, test } from "@playwright/test";
import { mintDownstreamToken } from "./support/access-token";
import { APP_URL } from "./support/servers";
import { signUpAndVerify, uniqueEmail } from "./support/users";

// examples/resource-server: another service verifying the tokens Doorman mints
// for it (its own origin as audience: docs/decisions/0016) against the running
// app's JWKS, with jose's remote key set. Its origin must be known before it
// listens, so it takes a fixed port.

const PORT = 4110;
const ORIGIN = `http://127.0.0.1:${PORT}`;

let server: Server;

test.beforeAll(async () => {
  // No clock slack: the e2e tokens live 4 seconds and the test watches one expire.
  server = createResourceServer(APP_URL, { audience: ORIGIN, clockToleranceSeconds: 0 });
  await new Promise<void>((resolve) => server.listen(PORT, "127.0.0.1", resolve));
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const askWith = (token: string) => fetch(ORIGIN, { headers: { authorization: `Bearer ${token}` } });

test("accepts a token minted for it and tells who is asking; refuses Doorman's own token, another service's, forgeries and expired tokens", async ({ request }) => {
  const user = await signUpAndVerify(request, uniqueEmail("resource"));
  const granted = await request.post("/api/auth/token", {
    data: { grant_type: "password", email: user.email, password: user.password },
    headers: { "x-forwarded-for": "198.51.100.91" },
  });
  expect(granted.status()).toBe(200);
  const { access_token: own } = await granted.json();
  const claims = decodeJwt(own);
  // A minted token never outlives the one it stands for, which lives 4 seconds
  // here: standing for one with the production lifetime, it lives its full minute.
  const minted = await mintDownstreamToken(own, ORIGIN, { exp: claims.iat! + 15 * 60 });
  const shortLived = await mintDownstreamToken(own, ORIGIN);

  const ok = await askWith(minted);
  expect(ok.status).toBe(200);
  expect(await ok.json()).toEqual({ userId: claims.sub, role: "user", sessionId: claims.sid });

  // Doorman's own token is not for this service (the audience is refused first,
  // expired or not: the e2e app's tokens live 4 seconds), nor one minted for another.
  const notOurs = await askWith(own);
  expect(notOurs.status).toBe(401);
  expect((await notOurs.json()).error.code).toBe("invalid_token");
  expect((await askWith(await mintDownstreamToken(own, "http://127.0.0.1:4111"))).status).toBe(401);

  // Same claims and kid, signed by a key that is not Doorman's.
  const { privateKey } = await generateKeyPair("ES256");
  const forged = await new SignJWT(decodeJwt(minted)).setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: decodeProtectedHeader(minted).kid! }).sign(privateKey);
  expect((await askWith(forged)).status).toBe(401);
  expect((await askWith("not.a.token")).status).toBe(401);
  expect((await fetch(ORIGIN)).status).toBe(401);

  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const expired = await askWith(shortLived);
  expect(expired.status).toBe(401);
  expect((await expired.json()).error.code).toBe("token_expired");
});
