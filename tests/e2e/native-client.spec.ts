import { randomBytes } from "node:crypto";
import { createDoormanClient, SignedOutError } from "../../lib/client/doorman-client";
import { memoryTokenStore, type TokenStore } from "../../lib/client/token-store";
import { expect, test } from "./support/fixtures";
import { APP_URL } from "./support/servers";
import { signUpAndVerify, uniqueEmail } from "./support/users";

// lib/client against the running app (`npm start`, 4-second access tokens):
// what a React Native app does, with memory in place of the Keychain.

const ACCESS_TOKEN_TTL_MS = 4000;

/** fetch as one device: its own client address, and a count of refresh grants it sends. */
function deviceFetch() {
  const ip = `198.19.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
  const calls = { refreshGrants: 0, requests: 0 };
  const fetchAsDevice: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("x-forwarded-for", ip);
    calls.requests++;
    if (String(input).endsWith("/api/auth/token") && String(init?.body).includes('"refresh_token"')) calls.refreshGrants++;
    return fetch(input, { ...init, headers });
  };
  return { fetchAsDevice, calls };
}

async function signedInClient(request: Parameters<typeof signUpAndVerify>[0], store: TokenStore = memoryTokenStore()) {
  const user = await signUpAndVerify(request, uniqueEmail("native"));
  const device = deviceFetch();
  let signedOut = 0;
  const client = createDoormanClient({ baseUrl: APP_URL, store, fetch: device.fetchAsDevice, onSignedOut: () => signedOut++ });
  await client.signIn(user.email, user.password);
  return { client, user, store, calls: device.calls, signedOutCount: () => signedOut };
}

test.describe("lib/client against the running app", () => {
  test("20 parallel requests after expiry share exactly one refresh, and all succeed", async ({ request }) => {
    const { client, calls } = await signedInClient(request);
    await new Promise((resolve) => setTimeout(resolve, ACCESS_TOKEN_TTL_MS + 1000));

    const responses = await Promise.all(Array.from({ length: 20 }, () => client.fetch("/api/me")));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(calls.refreshGrants).toBe(1);
  });

  test("requests that learn of the expiry only from 401s still share one refresh and are replayed", async ({ request }) => {
    // The store claims a far-off expiry, so the client cannot refresh ahead: every request goes out, every one gets a 401.
    const store = memoryTokenStore();
    const { client, calls } = await signedInClient(request, store);
    const tokens = (await store.load())!;
    await store.save({ ...tokens, accessTokenExpiresAt: Date.now() + 3_600_000 });
    await new Promise((resolve) => setTimeout(resolve, ACCESS_TOKEN_TTL_MS + 1000));

    const responses = await Promise.all(Array.from({ length: 20 }, () => client.fetch("/api/me")));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(calls.refreshGrants).toBe(1);
    expect(calls.requests).toBe(1 /* sign-in */ + 20 + 1 /* refresh */ + 20);
    const body = await responses[0]!.json();
    expect(body.user).toMatchObject({ emailVerified: true });
  });

  test("a refused refresh signs out: tokens forgotten, SignedOutError, onSignedOut once", async ({ request }) => {
    const { client, store, signedOutCount } = await signedInClient(request);
    const tokens = (await store.load())!;
    // End the session the way another device or an admin would: revoke it at the server.
    const revoked = await fetch(`${APP_URL}/api/auth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: tokens.refreshToken }),
    });
    expect(revoked.status).toBe(200);

    const results = await Promise.allSettled(Array.from({ length: 5 }, () => client.fetch("/api/me")));
    for (const result of results) {
      expect(result.status).toBe("rejected");
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(SignedOutError);
    }
    expect(await store.load()).toBeNull();
    expect(await client.isSignedIn()).toBe(false);
    expect(signedOutCount()).toBe(1);
  });

  test("signing out revokes the session at Doorman", async ({ request }) => {
    const { client, store } = await signedInClient(request);
    const tokens = (await store.load())!;
    await client.signOut();
    expect(await store.load()).toBeNull();
    const replay = await fetch(`${APP_URL}/api/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "refresh_token", refresh_token: tokens.refreshToken }),
    });
    expect(replay.status).toBe(400);
    expect((await replay.json()).error.code).toBe("invalid_grant");
  });

  test("a wrong password is a DoormanError with the contract's code, and stores nothing", async ({ request }) => {
    const user = await signUpAndVerify(request, uniqueEmail("native-wrong"));
    const store = memoryTokenStore();
    const client = createDoormanClient({ baseUrl: APP_URL, store, fetch: deviceFetch().fetchAsDevice });
    await expect(client.signIn(user.email, "not the right password")).rejects.toMatchObject({ status: 400, code: "invalid_grant" });
    expect(await store.load()).toBeNull();
  });
});

test("the token endpoint never sets cookies, even when an expired browser session's cookies come along", async ({ page }) => {
  const user = await signUpAndVerify(page.request, uniqueEmail("native-cookies"));
  await new Promise((resolve) => setTimeout(resolve, ACCESS_TOKEN_TTL_MS + 1000));
  // page.request carries the browser's cookies: an expired access JWT and a live refresh cookie.
  const response = await page.request.post("/api/auth/token", {
    form: { grant_type: "password", username: user.email, password: user.password },
  });
  expect(response.status()).toBe(200);
  expect(response.headersArray().filter((header) => header.name.toLowerCase() === "set-cookie")).toEqual([]);
});
