// Where the e2e servers listen. Fixed ports by default; set E2E_APP_PORT and
// E2E_FAKE_RESEND_PORT to run two checkouts side by side on one machine.
// playwright.config.ts and the tests both read this (workers inherit the env).

export const APP_PORT = Number(process.env.E2E_APP_PORT || 3100);
export const FAKE_RESEND_PORT = Number(process.env.E2E_FAKE_RESEND_PORT || 3199);

// Chromium keeps Secure cookies over plain http on localhost only (not on 127.0.0.1).
export const APP_URL = `http://localhost:${APP_PORT}`;
export const FAKE_RESEND_URL = `http://127.0.0.1:${FAKE_RESEND_PORT}`;
