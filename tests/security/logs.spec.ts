import { test, expect } from "@playwright/test";
import { HttpClient } from "../e2e/support/http-client";
import { linkIn, mailbox } from "../e2e/support/mailbox";
import { FAKE_RESEND_URL } from "../e2e/support/servers";
import { uniqueEmail } from "../e2e/support/users";
import { REFRESH_COOKIE } from "../e2e/support/cookies";
import { EXTRA_PORTS, startExtraApp, type ExtraApp } from "./support/extra-app";
import { unsealRefresh } from "./support/tokens";

// Contract invariant 1 (docs/contract.md): no token in a log line. An instance of this test's
// own (its whole stdout and stderr) goes through every auth event with known
// secrets; its log must hold the structured events as JSON lines, and none of
// the passwords, cookie values, access or refresh tokens, one-time tokens,
// bcrypt hashes or server secrets. REFRESH_REUSE_GRACE_SECONDS=0 makes a replay
// count as reuse at once.

const PASSWORDS = {
  signup: "first passphrase of the log test",
  wrong: "a wrong guess at the passphrase",
  reset: "second passphrase after the reset",
  changed: "third passphrase after the change",
};

const EXPECTED_EVENTS = [
  "auth.sign_up",
  "auth.email_verified",
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.refresh_token_reuse",
  "auth.password_reset_requested",
  "auth.password_reset",
  "auth.password_changed",
  "auth.sessions_revoked",
  "auth.session_revoked",
  "auth.sign_out",
];

let app: ExtraApp;
test.beforeAll(async () => {
  app = await startExtraApp(EXTRA_PORTS.logs, {
    RESEND_API_KEY: "re_test_key",
    RESEND_BASE_URL: FAKE_RESEND_URL,
    EMAIL_FROM: "Doorman <no-reply@doorman.test>",
    REFRESH_REUSE_GRACE_SECONDS: "0",
  });
});
test.afterAll(async () => {
  await app?.stop();
});

test("every auth event is logged as a JSON line, and no log line holds a secret", async () => {
  test.setTimeout(120_000);
  const email = uniqueEmail("logs");
  const secrets = new Set<string>([...Object.values(PASSWORDS), app.secrets.AUTH_SECRET]);
  for (const key of JSON.parse(app.secrets.JWT_SIGNING_KEYS) as { d: string }[]) secrets.add(key.d);

  /** Every cookie value the app hands out, and the refresh token sealed in each. */
  const seen = async (response: Response): Promise<Response> => {
    for (const line of response.headers.getSetCookie()) {
      const [name, value = ""] = line.split(";")[0]!.split(/=(.*)/s);
      if (!value) continue;
      secrets.add(value);
      if (name === REFRESH_COOKIE) secrets.add(await unsealRefresh(value, app.secrets.AUTH_SECRET));
    }
    return response;
  };
  const client = () => new HttpClient(app.origin);
  const call = async (who: HttpClient, path: string, init: Parameters<HttpClient["request"]>[1], status: number) => {
    const response = await seen(await who.request(path, init));
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(status);
    return response;
  };
  const tokenFrom = async (seenBefore: number, pathname: string) => {
    const token = linkIn(await mailbox.next(email, seenBefore), pathname).searchParams.get("token")!;
    secrets.add(token);
    return token;
  };

  // Sign up, verify (which signs in), a failed and a successful sign-in.
  const first = client();
  await call(first, "/api/auth/signup", { json: { name: "Log Tester", email, password: PASSWORDS.signup } }, 202);
  await call(first, "/api/auth/verify-email", { json: { token: await tokenFrom(0, "/verify-email") } }, 200);
  await call(client(), "/api/auth/login", { json: { email, password: PASSWORDS.wrong } }, 401);
  const second = client();
  await call(second, "/api/auth/login", { json: { email, password: PASSWORDS.signup } }, 200);

  // Refresh twice, then replay the first rotated token: reuse (the grace window is 0 here, and
  // its successor was used, so it is no lost answer: docs/decisions/0021).
  const rotated = second.cookies.get(REFRESH_COOKIE)!;
  await call(second, "/api/auth/refresh", { method: "POST" }, 200);
  await call(second, "/api/auth/refresh", { method: "POST" }, 200);
  const replay = new HttpClient(app.origin);
  replay.cookies.set(REFRESH_COOKIE, rotated);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await call(replay, "/api/auth/refresh", { method: "POST" }, 401);

  // Password reset (every session ends), then sign in with the new password on two devices.
  const before = (await mailbox.all(email)).length;
  await call(client(), "/api/auth/forgot-password", { json: { email } }, 202);
  await call(client(), "/api/auth/reset-password", { json: { token: await tokenFrom(before, "/reset-password"), password: PASSWORDS.reset } }, 200);
  const laptop = client();
  const phone = client();
  await call(laptop, "/api/auth/login", { json: { email, password: PASSWORDS.reset } }, 200);
  await call(phone, "/api/auth/login", { json: { email, password: PASSWORDS.reset } }, 200);

  // Change the password on the laptop (the phone's session ends), revoke a device, sign out, sign out everywhere.
  await call(laptop, "/api/auth/change-password", { json: { currentPassword: PASSWORDS.reset, newPassword: PASSWORDS.changed } }, 200);
  const tablet = client();
  await call(tablet, "/api/auth/login", { json: { email, password: PASSWORDS.changed } }, 200);
  const sessions = (await (await call(laptop, "/api/auth/sessions", {}, 200)).json()) as { sessions: { id: string; current: boolean }[] };
  const other = sessions.sessions.find((session) => !session.current)!;
  await call(laptop, `/api/auth/sessions/${other.id}`, { method: "DELETE" }, 204);
  const desktop = client();
  await call(desktop, "/api/auth/login", { json: { email, password: PASSWORDS.changed } }, 200);
  await call(desktop, "/api/auth/logout", { method: "POST" }, 204);
  await call(laptop, "/api/auth/logout-all", { method: "POST" }, 204);

  // Email delivery runs after the responses; let its log lines land too.
  await mailbox.next(email, before + 2);
  await new Promise((resolve) => setTimeout(resolve, 1_000));

  const lines = app.logs().split("\n").filter((line) => line.trim() !== "");
  const events = lines
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { time?: unknown; level?: unknown; event?: unknown })
    .map((entry) => {
      expect(typeof entry.time).toBe("string");
      expect(["info", "warn", "error"]).toContain(entry.level);
      return String(entry.event);
    });
  for (const event of EXPECTED_EVENTS) expect(events, `a ${event} line`).toContain(event);
  expect(events.filter((event) => event === "auth.refresh_token_reuse")).toHaveLength(1);

  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThanOrEqual(8);
    for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
      const leaking = lines.find((line) => line.includes(form));
      expect(leaking, `a log line holds a secret (${form.slice(0, 12)}…)`).toBeUndefined();
    }
  }
  expect(lines.find((line) => /\$2[aby]\$\d\d\$/.test(line)), "a bcrypt hash in the log").toBeUndefined();
  // Not a secret, but not a log's business either: events carry the user id.
  expect(lines.find((line) => line.toLowerCase().includes(email)), "the email address in the log").toBeUndefined();
});
