import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, defineConfig } from "@playwright/test";
import { createAdminWithCli } from "./tests/e2e/support/admin";
import {
  APP_PORT,
  APP_URL,
  E2E_NATIVE_CLIENT,
  FAKE_RESEND_API_KEY,
  FAKE_RESEND_PORT,
  FAKE_RESEND_URL,
  OIDC_PORT,
  OIDC_URLS,
  fakeResendEnvironment,
  oidcProvidersEnvironment,
} from "./tests/e2e/support/servers";

// Browser tests drive Chromium against `node server.mjs` (what `npm start` runs),
// on a production build made BEFORE this runs (`npx next build && npx playwright
// test`), a fake Resend server and single sign-on stand-ins (a real OpenID Provider, a broken one, GitHub). The access token lives 4 seconds so tests can watch it expire.
// Two projects share those servers: `chromium` (tests/e2e, user journeys) and
// `security` (tests/security, the attacks of SECURITY.md, mostly plain HTTP).
// Ports: 3100, 3199 and 3190-3192 unless E2E_APP_PORT / E2E_FAKE_RESEND_PORT / E2E_OIDC_PORT say otherwise;
// the security tests start extra instances on 3210-3219 and 4710-4714.

if (!existsSync(path.join(__dirname, ".next", "BUILD_ID"))) {
  throw new Error("No production build in .next/. Run `npx next build` first, then `npx playwright test`.");
}

export default defineConfig({
  globalSetup: "./tests/e2e/support/warm-up.ts",
  // Two cores here: the app, Chromium and the tests share them.
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Generous: this machine is often shared with other builds; a healthy run takes about a minute.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    baseURL: APP_URL,
    browserName: "chromium",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      // --no-sandbox: CI containers run as root. --disable-background-networking:
      // no component updates or safe-browsing calls leave the machine.
      args: ["--no-sandbox", "--disable-background-networking"],
    },
  },
  projects: [
    { name: "chromium", testDir: "tests/e2e" },
    { name: "security", testDir: "tests/security" },
  ],
  webServer: [
    {
      name: "fake-resend",
      command: `npx tsx tests/e2e/support/fake-resend-server.ts ${FAKE_RESEND_PORT}`,
      url: `${FAKE_RESEND_URL}/__test/emails`,
      env: { RESEND_API_KEY: FAKE_RESEND_API_KEY },
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      name: "oidc",
      command: `npx tsx tests/support/oidc/serve.ts --app-url ${APP_URL} --port ${OIDC_PORT}`,
      url: `${OIDC_URLS.acme}/__test/ready`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      name: "app",
      command: `node server.mjs -p ${APP_PORT}`, // `npm start`, as production runs it
      // JWKS answers 200 only once the signing keys load: a readiness check for the configuration too.
      url: `http://127.0.0.1:${APP_PORT}/.well-known/jwks.json`,
      env: appEnvironment(),
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});

function chromiumPath(): string | undefined {
  if (process.env.PLAYWRIGHT_CHROMIUM_PATH) return process.env.PLAYWRIGHT_CHROMIUM_PATH;
  // Playwright's own browser when `npx playwright install` put it there; else the system one.
  if (existsSync(chromium.executablePath())) return undefined;
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
}

/**
 * Fresh secrets and a fresh embedded database per run. Playwright evaluates
 * this file again in each worker; only the main process starts servers, and
 * the values are handed down through process.env so every copy agrees.
 */
function appEnvironment(): Record<string, string> {
  if (!process.env.DOORMAN_E2E_DATA_DIR) {
    const dataDir = mkdtempSync(path.join(tmpdir(), "doorman-e2e-"));
    process.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));
    process.env.DOORMAN_E2E_DATA_DIR = dataDir;
    process.env.DOORMAN_E2E_AUTH_SECRET = randomBytes(32).toString("base64url");
    process.env.DOORMAN_E2E_JWT_SIGNING_KEYS = JSON.stringify([signingKey()]);
    // Before the app opens the embedded database (tests/e2e/support/admin.ts).
    createAdminWithCli({ NODE_ENV: "production", DATABASE_URL: "", DATA_DIR: dataDir });
  }
  return {
    NODE_ENV: "production",
    APP_URL,
    INTERNAL_URL: `http://127.0.0.1:${APP_PORT}`,
    DATABASE_URL: "", // always the embedded database, whatever the shell says
    DATA_DIR: process.env.DOORMAN_E2E_DATA_DIR,
    // As behind a proxy: helpers that create users send their own X-Forwarded-For, so the
    // real per-IP limits (10 signups an hour) apply per simulated client, not to the whole suite.
    TRUST_PROXY: "true",
    AUTH_SECRET: process.env.DOORMAN_E2E_AUTH_SECRET!,
    JWT_SIGNING_KEYS: process.env.DOORMAN_E2E_JWT_SIGNING_KEYS!,
    ACCESS_TOKEN_TTL_SECONDS: "4",
    JWT_CLOCK_TOLERANCE_SECONDS: "0",
    // Off by default (RFC 9700); the native-client, key-rotation, resource-server and security tests still sign apps in with a password.
    PASSWORD_GRANT: "true",
    NATIVE_CLIENTS: JSON.stringify([E2E_NATIVE_CLIENT]),
    ...fakeResendEnvironment(),
    ...oidcProvidersEnvironment(),
  };
}

/** What `npm run keys` makes: a private P-256 JWK with a kid (lib/auth/generate-secrets.ts). */
function signingKey(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { ...privateKey.export({ format: "jwk" }), kid: `e2e-${randomBytes(6).toString("base64url")}`, alg: "ES256" };
}
