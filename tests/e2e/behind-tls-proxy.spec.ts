import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startApp, testSecrets, type AppProcess } from "../../scripts/lib/app-process";
import { STRICT_TRANSPORT_SECURITY } from "../../lib/http/security-headers";
import { test, expect } from "./support/fixtures";
import { authCookie, setCookieLines, setCookieNames, waitForAccessCookieToExpire } from "./support/cookies";
import { linkIn, mailbox } from "./support/mailbox";
import { signUpThroughPage } from "./support/sign-in";
import { fakeResendEnvironment } from "./support/servers";
import { startTlsProxy, type TlsProxy } from "./support/tls-proxy";
import { uniqueEmail } from "./support/users";

// A Node host as the README's "Behind a TLS proxy" deploys it: `npm start` on
// plain http, a proxy terminating TLS in front (tests/e2e/support/tls-proxy.ts,
// what the nginx block does), APP_URL the https origin, TRUST_PROXY=1 and
// INTERNAL_URL the app's own http port. The browser only ever speaks https
// to the proxy.

const PROXY_PORT = 3142;
const APP_PORT = 3143;
const ORIGIN = `https://localhost:${PROXY_PORT}`;
// Over https every cookie takes the __Host- prefix (lib/auth/edge/cookies.ts).
const ACCESS = "__Host-doorman.at";
const REFRESH = "__Host-doorman.rt";
const SIGNUP = "__Host-doorman.signup";
const WEBAUTHN = "__Host-doorman.webauthn";
// What the browser claims in its own X-Forwarded-For, and where the proxy says it connected from (RFC 5737 addresses).
const CLAIMED = "198.51.100.66";
const FIRST_ADDRESS = "203.0.113.10";
const SECOND_ADDRESS = "203.0.113.20";

test.use({ baseURL: ORIGIN, ignoreHTTPSErrors: true });

test.describe("behind a TLS-terminating proxy", () => {
  test.describe.configure({ timeout: 90_000 });
  let dataDir: string;
  let app: AppProcess | undefined;
  let proxy: TlsProxy | undefined;

  test.beforeAll(async () => {
    // A fresh embedded database migrates at start: slow on a busy machine.
    test.setTimeout(90_000);
    dataDir = mkdtempSync(path.join(tmpdir(), "doorman-tls-"));
    app = await startApp(APP_PORT, {
      // startApp sets INTERNAL_URL to the app's own port: http://127.0.0.1:3143.
      APP_URL: ORIGIN,
      TRUST_PROXY: "1",
      DATABASE_URL: "",
      DATA_DIR: dataDir,
      ...(await testSecrets()),
      ...fakeResendEnvironment(),
      ACCESS_TOKEN_TTL_SECONDS: "4",
      JWT_CLOCK_TOLERANCE_SECONDS: "0",
    });
    proxy = await startTlsProxy(PROXY_PORT, app.origin);
  });

  test.afterAll(async () => {
    await proxy?.close();
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("sign up and stay signed in over https: __Host- cookies, HSTS, the proxy's client address, refresh over INTERNAL_URL", async ({ page, context }) => {
    await context.setExtraHTTPHeaders({ "x-forwarded-for": CLAIMED });
    proxy!.clientAddress = FIRST_ADDRESS;

    // Redirects are built from the forwarded host and protocol: the browser stays on https.
    await page.goto("/account");
    await expect(page).toHaveURL(`${ORIGIN}/login?next=%2Faccount`);

    const email = uniqueEmail("tls");
    // A server action: Next compares its Origin with the forwarded host.
    const signupPage = await signUpThroughPage(page, "Tim Berners-Lee", email);
    expect(signupPage!.headers()["strict-transport-security"]).toBe(STRICT_TRANSPORT_SECURITY);
    // Beside the signup marker, only the passkey ceremony /login began for its autofill (it grants nothing).
    expect((await context.cookies()).map((cookie) => cookie.name).sort()).toEqual([WEBAUTHN, SIGNUP].sort());

    const link = linkIn(await mailbox.latest(email), "/verify-email");
    expect(link.origin).toBe(ORIGIN);
    await page.goto(link.href);
    await page.getByRole("button", { name: "Confirm email" }).click();
    await expect(page).toHaveURL(`${ORIGIN}/dashboard`);

    // Chromium keeps a __Host- cookie only when it is Secure, Path=/ and has no Domain. (The
    // access cookie lives 4 s, too short to look for on a slow machine: the refresh below shows it.)
    expect(await authCookie(context, REFRESH)).toMatchObject({ domain: "localhost", path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
    expect((await context.cookies()).filter((cookie) => !cookie.name.startsWith("__Host-"))).toEqual([]);

    // The session's address is the hop the proxy appended, not what the browser claimed.
    const accountPage = await page.goto("/account");
    expect(accountPage!.headers()["strict-transport-security"]).toBe(STRICT_TRANSPORT_SECURITY);
    const devices = page.getByRole("list", { name: "Signed-in devices" });
    await expect(devices).toContainText(FIRST_ADDRESS);
    await expect(devices).not.toContainText(CLAIMED);

    // Past the 4-second access token, now seen by the proxy from another address.
    proxy!.clientAddress = SECOND_ADDRESS;
    await waitForAccessCookieToExpire(context, ACCESS);
    const reloaded = await page.reload();
    expect(reloaded!.status()).toBe(200);
    expect(await setCookieNames(reloaded!)).toEqual([ACCESS, REFRESH]);
    for (const line of await setCookieLines(reloaded!)) {
      expect(line).toMatch(/; Secure(;|$)/i);
      expect(line).toMatch(/; Path=\/(;|$)/i);
      expect(line).not.toMatch(/; Domain=/i);
    }
    // The middleware refreshed over INTERNAL_URL, never through the proxy (whose
    // self-signed certificate it would refuse), and handed the browser's
    // forwarded address on with it: the rotation recorded it on the session.
    expect(proxy!.forwarded.filter((request) => request.includes("/api/auth/refresh"))).toEqual([]);
    await expect(devices).toContainText(SECOND_ADDRESS);
    await expect(devices).not.toContainText(FIRST_ADDRESS);
  });
});
