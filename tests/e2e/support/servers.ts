// Where the e2e servers listen. Fixed ports by default; set E2E_APP_PORT and
// E2E_FAKE_RESEND_PORT to run two checkouts side by side on one machine.
// playwright.config.ts and the tests both read this (workers inherit the env).

export const APP_PORT = Number(process.env.E2E_APP_PORT || 3100);
export const FAKE_RESEND_PORT = Number(process.env.E2E_FAKE_RESEND_PORT || 3199);
/** The single sign-on stand-ins (tests/support/oidc/serve.ts): this port and the next two. */
export const OIDC_PORT = Number(process.env.E2E_OIDC_PORT || 3190);

// Chromium keeps Secure cookies over plain http on localhost only (not on 127.0.0.1).
export const APP_URL = `http://localhost:${APP_PORT}`;
export const FAKE_RESEND_URL = `http://127.0.0.1:${FAKE_RESEND_PORT}`;

/** The fake Resend server accepts this key only (tests/e2e/support/fake-resend-server.ts). */
export const FAKE_RESEND_API_KEY = "re_test_key";

/** What an app needs to send its mail to the fake Resend server. */
export function fakeResendEnvironment(): Record<string, string> {
  return { RESEND_API_KEY: FAKE_RESEND_API_KEY, RESEND_BASE_URL: FAKE_RESEND_URL, EMAIL_FROM: "Doorman <no-reply@doorman.test>" };
}

/** The stand-ins' client at each provider (tests/support/oidc/serve.ts). */
const OIDC_CLIENT = { clientId: "doorman", clientSecret: "doorman-test-secret" };

export const OIDC_URLS = {
  acme: `http://127.0.0.1:${OIDC_PORT}`,
  broken: `http://127.0.0.1:${OIDC_PORT + 1}`,
  github: `http://127.0.0.1:${OIDC_PORT + 2}`,
};

/** OIDC_PROVIDERS for an app signing in through the stand-ins: a real provider, a broken one, GitHub, and one that is down. */
export function oidcProvidersEnvironment(): Record<string, string> {
  return {
    OIDC_PROVIDERS: JSON.stringify([
      { id: "acme", name: "Acme", issuer: OIDC_URLS.acme, ...OIDC_CLIENT },
      { id: "broken", name: "Broken", issuer: OIDC_URLS.broken, ...OIDC_CLIENT },
      { id: "github", ...OIDC_CLIENT, webUrl: OIDC_URLS.github, apiUrl: `${OIDC_URLS.github}/api` },
      // Nothing listens on port 9 (discard): a provider that is down.
      { id: "down", name: "Down", issuer: "http://127.0.0.1:9", ...OIDC_CLIENT },
    ]),
  };
}

/** The native app registered with the e2e app (NATIVE_CLIENTS): it signs in through the browser (tests/e2e/native-authorize.spec.ts). */
export const E2E_NATIVE_CLIENT = { clientId: "com.example.doorman-e2e", redirectUris: ["com.example.doorman-e2e:/oauth/callback"] };
