import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeProtectedHeader } from "jose";
import { expect, test } from "@playwright/test";
import { createUserWithCli, startApp, testSecrets, type AppProcess } from "../../scripts/lib/app-process";
import { HttpClient } from "./support/http-client";

// `npm run keys -- --rotate` across a restart, with live browser and native
// sessions: nobody is signed out, neither by the rotation nor, later, by
// retiring the old key.

const ROOT = path.resolve(__dirname, "../..");
const PORT = 3113;
const USER = { email: "rotation@example.com", password: "correct horse battery staple", name: "Rotation" };

function npm(args: string[], env: Record<string, string>): string {
  const result = spawnSync("npm", ["run", "-s", ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`npm ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

const kidOf = (token: string) => decodeProtectedHeader(token).kid;

test.describe("signing-key rotation", () => {
  test.describe.configure({ timeout: 180_000 });
  let dataDir: string;
  let app: AppProcess | undefined;

  test.beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "doorman-rotation-"));
  });
  test.afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("tokens signed with the previous key keep working; nobody signs in again", async () => {
    const secrets = await testSecrets();
    // PASSWORD_GRANT: the native app below signs in with a password (off by default, RFC 9700).
    const base = { DATABASE_URL: "", DATA_DIR: dataDir, AUTH_SECRET: secrets.AUTH_SECRET, APP_URL: `http://localhost:${PORT}`, PASSWORD_GRANT: "true" };
    createUserWithCli({ ...process.env, ...base, NODE_ENV: "production" }, USER);
    const start = (keys: string) => startApp(PORT, { ...base, JWT_SIGNING_KEYS: keys });

    // Before: one key. A browser (cookies) and a native app (tokens) sign in.
    app = await start(secrets.JWT_SIGNING_KEYS);
    const oldKid = (JSON.parse(secrets.JWT_SIGNING_KEYS) as { kid: string }[])[0]!.kid;
    const browser = new HttpClient(app.origin);
    expect((await browser.request("/api/auth/login", { json: { email: USER.email, password: USER.password } })).status).toBe(200);
    // A second browser that will not come back until the old key is retired.
    const laptop = new HttpClient(app.origin);
    expect((await laptop.request("/api/auth/login", { json: { email: USER.email, password: USER.password } })).status).toBe(200);
    const native = await (
      await fetch(`${app.origin}/api/auth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "password", username: USER.email, password: USER.password }),
      })
    ).json();
    expect(kidOf(native.access_token)).toBe(oldKid);
    await app.stop();

    // Rotate with the real command, restart with its output.
    const printed = npm(["keys", "--", "--rotate"], { JWT_SIGNING_KEYS: secrets.JWT_SIGNING_KEYS });
    const rotated = /^JWT_SIGNING_KEYS='(.+)'$/m.exec(printed)?.[1];
    expect(rotated, printed).toBeTruthy();
    const kids = (JSON.parse(rotated!) as { kid: string }[]).map((key) => key.kid);
    expect(kids).toHaveLength(2);
    expect(kids[1]).toBe(oldKid);
    const newKid = kids[0]!;
    app = await start(rotated!);

    // The JWKS publishes both; old tokens verify without a refresh.
    const jwks = await (await fetch(`${app.origin}/.well-known/jwks.json`)).json();
    expect(jwks.keys.map((key: { kid: string }) => key.kid)).toEqual([newKid, oldKid]);
    const meWithOldCookie = await browser.request("/api/me");
    expect(meWithOldCookie.status).toBe(200);
    expect(meWithOldCookie.headers.getSetCookie(), "no refresh was needed").toEqual([]);
    const meWithOldBearer = await fetch(`${app.origin}/api/me`, { headers: { authorization: `Bearer ${native.access_token}` } });
    expect(meWithOldBearer.status).toBe(200);

    // New tokens are signed with the new key.
    expect((await browser.request("/api/auth/refresh", { method: "POST" })).status).toBe(200);
    const accessCookie = [...browser.cookies].find(([name]) => name.endsWith("doorman.at"))![1];
    expect(kidOf(accessCookie)).toBe(newKid);
    await app.stop();

    // Later the old key is retired. A native app whose token was signed with it refreshes and carries on.
    app = await start(JSON.stringify((JSON.parse(rotated!) as unknown[]).slice(0, 1)));
    const stale = await fetch(`${app.origin}/api/me`, { headers: { authorization: `Bearer ${native.access_token}` } });
    expect(stale.status).toBe(401);
    const renewed = await fetch(`${app.origin}/api/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "refresh_token", refresh_token: native.refresh_token }),
    });
    expect(renewed.status).toBe(200);
    const fresh = await renewed.json();
    expect(kidOf(fresh.access_token)).toBe(newKid);
    expect((await fetch(`${app.origin}/api/me`, { headers: { authorization: `Bearer ${fresh.access_token}` } })).status).toBe(200);
    // The laptop's access cookie is signed with the retired key: the middleware treats it as absent,
    // refreshes on the spot, and the page renders. No trip to /login.
    const dashboard = await laptop.request("/dashboard");
    expect(dashboard.status).toBe(200);
    const reissued = [...laptop.cookies].find(([name]) => name.endsWith("doorman.at"))![1];
    expect(kidOf(reissued)).toBe(newKid);
  });
});
