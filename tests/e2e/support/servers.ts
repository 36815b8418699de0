// Where the e2e servers listen. Fixed ports by default; set E2E_APP_PORT and
// E2E_FAKE_RESEND_PORT to run two checkouts side by side on one machine.
// playwright.config.ts and the tests both read this (workers inherit the env).

export const APP_PORT = Number(process.env.E2E_APP_PORT || 3100);
export const FAKE_RESEND_PORT = Number(process.env.E2E_FAKE_RESEND_PORT || 3199);

// Chromium keeps Secure cookies over plain http on localhost only (not on 127.0.0.1).
export const APP_URL = `http://localhost:${APP_PORT}`;
export const FAKE_RESEND_URL = `http://127.0.0.1:${FAKE_RESEND_PORT}`;

/** The fake Resend server accepts this key only (tests/e2e/support/fake-resend-server.ts). */
export const FAKE_RESEND_API_KEY = "re_test_key";

/** What an app needs to send its mail to the fake Resend server. */
export function fakeResendEnvironment(): Record<string, string> {
  return { RESEND_API_KEY: FAKE_RESEND_API_KEY, RESEND_BASE_URL: FAKE_RESEND_URL, EMAIL_FROM: "Doorman <no-reply@doorman.test>" };
}

/** The native app registered with the e2e app (NATIVE_CLIENTS): it signs in through the browser (tests/e2e/native-authorize.spec.ts). */
export const E2E_NATIVE_CLIENT = { clientId: "com.example.doorman-e2e", redirectUris: ["com.example.doorman-e2e:/oauth/callback"] };
