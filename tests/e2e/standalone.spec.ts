import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createUserWithCli, startNodeServer, testSecrets, type AppProcess } from "../../scripts/lib/app-process";
import { test, expect } from "./support/fixtures";
import { signIn } from "./support/sign-in";

// The standalone output (next.config.ts, docs/decisions/0030) laid out as the
// Dockerfile lays it out: .next/standalone with .next/static beside its
// server, started with `node server.mjs`. The copy goes outside the checkout,
// so Node cannot find a module the build left out in the checkout's
// node_modules instead.

const ROOT = path.resolve(__dirname, "../..");
const PORT = 3144;
const ORIGIN = `http://localhost:${PORT}`;
const USER = { email: "standalone@example.com", password: "correct horse battery staple", name: "Standalone" };
// A router-state header Next's own parser refuses (tests/security/hostile-input.spec.ts has more).
const MALFORMED_ROUTER_STATE = encodeURIComponent('["",{"children":"x"}]');

test.use({ baseURL: ORIGIN });

test.describe("the standalone build", () => {
  test.describe.configure({ timeout: 90_000 });
  let copy: string;
  let dataDir: string;
  let app: AppProcess | undefined;

  test.beforeAll(async () => {
    // Two processes open a fresh embedded database (the CLI, then the app): slow on a busy machine.
    test.setTimeout(90_000);
    copy = mkdtempSync(path.join(tmpdir(), "doorman-standalone-"));
    dataDir = mkdtempSync(path.join(tmpdir(), "doorman-standalone-data-"));
    cpSync(path.join(ROOT, ".next/standalone"), copy, { recursive: true });
    cpSync(path.join(ROOT, ".next/static"), path.join(copy, ".next/static"), { recursive: true });
    const env = { DATABASE_URL: "", DATA_DIR: dataDir, APP_URL: ORIGIN, ...(await testSecrets()) };
    // The CLI from the checkout, as the Dockerfile's build stage runs it; the standalone copy has no tsx.
    createUserWithCli({ ...process.env, ...env, NODE_ENV: "production" }, USER);
    app = await startNodeServer(PORT, {
      cwd: copy,
      args: ["server.mjs"],
      env: { ...env, INTERNAL_URL: `http://127.0.0.1:${PORT}` },
      readyPath: "/.well-known/jwks.json",
    });
  });

  test.afterAll(async () => {
    await app?.stop();
    rmSync(copy, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("starts from a copy outside the checkout with server.mjs and signs a user in", async ({ page, request }) => {
    // What server.mjs and the embedded database read, copied by the build itself.
    for (const file of ["server.mjs", "db/migrations/meta/_journal.json"]) expect(existsSync(path.join(copy, file)), file).toBe(true);

    const login = await page.goto("/login");
    expect(login!.status()).toBe(200);
    // The build's configuration, not Next's defaults (poweredByHeader: false in next.config.ts).
    expect(login!.headers()["x-powered-by"]).toBeUndefined();
    await signIn(page, USER.email, USER.password);
    await expect(page).toHaveURL(`${ORIGIN}/dashboard`);
    await expect(page.getByText(USER.email)).toBeVisible();

    // server.mjs's own checks run here too: Next's parser was copied with it.
    const malformed = await request.get("/", { headers: { rsc: "1", "next-router-state-tree": MALFORMED_ROUTER_STATE } });
    expect(malformed.status()).toBe(400);
    expect((await malformed.json()).error.code).toBe("invalid_request");
  });
});
