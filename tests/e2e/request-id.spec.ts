import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { createDatabase, prepareDatabase, startApp, testSecrets, type AppProcess } from "../../scripts/lib/app-process";
import { REFRESH_COOKIE } from "./support/cookies";
import { HttpClient } from "./support/http-client";
import { APP_PORT, APP_URL } from "./support/servers";

// One id per request (docs/decisions/0032): on every answer as X-Request-Id,
// on every log line the request causes (the refresh the middleware makes on
// its behalf included), and, for an error nothing answered, on Next's
// onRequestError line beside the reference the error page shows.
// The instances of this file listen on the app's port + 2 and + 3.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const USER = { email: "request-id@example.com", password: "correct horse battery staple", name: "Request Id" };

type LogLine = { event?: string; requestId?: string; [field: string]: unknown };
const logLines = (app: AppProcess): LogLine[] =>
  app
    .logs()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);

test("every answer carries a request id; behind TRUST_PROXY (this server's setting) a well-formed one sent is kept", async () => {
  const client = new HttpClient(APP_URL);
  const answers = [
    await client.request("/"),
    await client.request("/dashboard"),
    await client.request("/api/me"),
    await client.request("/api/auth/refresh", { method: "POST" }),
    await client.request("/", { headers: { "x-request-id": "not\tan id" } }),
  ];
  const ids = answers.map((answer) => answer.headers.get("x-request-id"));
  for (const id of ids) expect(id).toMatch(UUID);
  expect(new Set(ids).size).toBe(ids.length);
  for (const path of ["/", "/api/me"]) {
    const answer = await client.request(path, { headers: { "x-request-id": "from-the-proxy-0001" } });
    expect(answer.headers.get("x-request-id")).toBe("from-the-proxy-0001");
  }
});

test.describe("one request's log lines", () => {
  test.describe.configure({ mode: "serial", timeout: 90_000 });
  let app: AppProcess;
  let dataDir: string;

  test.beforeAll(async () => {
    // Two CLI runs and a server start, on a machine that may be busy.
    test.setTimeout(180_000);
    dataDir = mkdtempSync(path.join(tmpdir(), "doorman-request-id-"));
    prepareDatabase({ dataDir }, USER);
    const port = APP_PORT + 2;
    app = await startApp(port, {
      ...(await testSecrets()),
      APP_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: "",
      DATA_DIR: dataDir,
      RESEND_API_KEY: "",
      TRUST_PROXY: "false",
      // A replayed rotated token is reuse at once.
      REFRESH_REUSE_GRACE_SECONDS: "0",
    });
  });
  test.afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("without TRUST_PROXY, a client's own id is replaced, on pages and on the refresh endpoint", async () => {
    const client = new HttpClient(app.origin);
    for (const answer of [
      await client.request("/", { headers: { "x-request-id": "chosen-by-the-client" } }),
      await client.request("/api/auth/refresh", { method: "POST", headers: { "x-request-id": "chosen-by-the-client" } }),
    ]) {
      expect(answer.headers.get("x-request-id")).toMatch(UUID);
    }
  });

  test("carry the id of the request, the middleware's refresh included", async () => {
    const browser = new HttpClient(app.origin);
    const signIn = await browser.request("/api/auth/login", { json: { email: USER.email, password: USER.password } });
    expect(signIn.status).toBe(200);
    const stolen = browser.cookies.get(REFRESH_COOKIE)!;
    for (let rotation = 0; rotation < 2; rotation++) {
      expect((await browser.request("/api/auth/refresh", { method: "POST" })).status).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));

    // A page view with only the stolen refresh cookie: the middleware refreshes, the refresh
    // endpoint finds reuse and logs it, the middleware sends the visitor to sign in.
    const thief = new HttpClient(app.origin);
    thief.cookies.set(REFRESH_COOKIE, stolen);
    const page = await thief.request("/dashboard");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toContain("/login");

    await expect
      .poll(() => logLines(app).find((line) => line.event === "auth.refresh_token_reuse")?.requestId)
      .toBe(page.headers.get("x-request-id"));
    expect(logLines(app).find((line) => line.event === "auth.sign_in")?.requestId).toBe(signIn.headers.get("x-request-id"));
  });
});

test.describe("an error nothing answered", () => {
  const adminUrl = process.env.TEST_DATABASE_URL;
  test.skip(!adminUrl, "needs TEST_DATABASE_URL: the fault is a table gone from a PostgreSQL database");
  test.describe.configure({ mode: "serial", timeout: 120_000 });

  let database: Awaited<ReturnType<typeof createDatabase>>;
  let app: AppProcess;
  const origin = `http://localhost:${APP_PORT + 3}`;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    database = await createDatabase(adminUrl!);
    prepareDatabase(database.url, USER);
    app = await startApp(APP_PORT + 3, { ...(await testSecrets()), DATABASE_URL: database.url, APP_URL: origin, RESEND_API_KEY: "" });
  });
  test.afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  test("shows a reference that the request_failed line carries, under the page's request id", async ({ page }) => {
    await page.goto(`${origin}/login`);
    await page.getByLabel("Email").fill(USER.email);
    await page.getByLabel("Password").fill(USER.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${origin}/dashboard`);

    // An operator's mistake the app cannot answer for: the sessions table is gone.
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe("alter table sessions rename to sessions_elsewhere");
      const response = await page.goto(`${origin}/dashboard`);
      const requestId = response!.headers()["x-request-id"];
      expect(requestId).toMatch(UUID);
      await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
      const reference = (await page.getByText(/^Reference:/).locator("code").textContent())!;
      expect(reference).toMatch(/^\d+$/);

      await expect.poll(() => logLines(app).find((line) => line.event === "request_failed" && line.digest === reference)).toMatchObject({
        level: "error",
        requestId,
        method: "GET",
        path: "/dashboard",
        routeType: "render",
      });
    } finally {
      await sql.unsafe("alter table sessions_elsewhere rename to sessions");
      await sql.end();
    }
  });
});
