import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { createDatabase, prepareDatabase, startApp, testSecrets, type AppProcess } from "../../scripts/lib/app-process";
import { addVirtualAuthenticator } from "./support/virtual-authenticator";

// Step-up in the page (docs/decisions/0036): an hour-old session asks for the
// password where the form's error would be, then sends the form again by
// itself. The app runs on a PostgreSQL database of its own so the test can
// make the session's last authentication old, as an idle tab's is, and turn
// on the admin second-factor policy without holding back the suite's own admin.

const adminUrl = process.env.TEST_DATABASE_URL;
const PORT = 3115;
/** APP_URL: the browser must use a host name, not 127.0.0.1, for WebAuthn (an IP address is no relying party). */
const ORIGIN = `http://localhost:${PORT}`;
const USER = { email: "step-up@example.com", password: "correct horse battery staple", name: "Stella Stepup" };

test.describe("step-up in the page", () => {
  test.skip(!adminUrl, "needs TEST_DATABASE_URL");
  test.describe.configure({ mode: "serial", timeout: 120_000 });

  let database: Awaited<ReturnType<typeof createDatabase>>;
  let sql: ReturnType<typeof postgres>;
  let app: AppProcess;

  test.beforeAll(async () => {
    database = await createDatabase(adminUrl!, "doorman_step_up");
    prepareDatabase(database.url, USER);
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    app = await startApp(PORT, { ...(await testSecrets()), DATABASE_URL: database.url, APP_URL: ORIGIN });
  });

  test.afterAll(async () => {
    await app?.stop();
    await sql?.end();
    await database?.drop();
  });

  /** Through /login, with the password, landing on /account. */
  async function signInToAccount(page: Page): Promise<void> {
    await page.goto(`${ORIGIN}/login?next=/account`);
    await page.getByLabel("Email").fill(USER.email);
    await page.getByLabel("Password").fill(USER.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${ORIGIN}/account`);
  }

  /** Every session of the user last authenticated an hour ago. */
  const ageSessions = () => sql`update sessions set authenticated_at = now() - interval '1 hour'`;

  test("an old session creating an API key is asked for its password, and the key is made with the scopes ticked", async ({ page }) => {
    await signInToAccount(page);
    await ageSessions();

    await page.getByRole("textbox", { name: "Name", exact: true }).fill("deploy script");
    await page.getByRole("checkbox", { name: /sessions:read/ }).check();
    await page.getByRole("button", { name: "Create API key" }).click();

    const prompt = page.getByRole("alert").filter({ hasText: "Confirm it is you" });
    await expect(prompt).toBeVisible();
    const password = prompt.getByLabel("Your password");
    await password.fill("not my password at all");
    await password.press("Enter");
    await expect(prompt).toContainText("The password is incorrect.");
    await expect(page.getByRole("textbox", { name: "New API key" })).toHaveCount(0);

    await password.fill(USER.password);
    await password.press("Enter");
    await expect(page.getByRole("status").filter({ hasText: "you will not see it again" })).toBeVisible();
    const row = page.getByRole("list", { name: "API keys" }).getByRole("listitem").filter({ hasText: "deploy script" });
    await expect(row).toContainText("me:read, sessions:read");
    const [event] = await sql`select detail from security_events where type = 'reauthenticated'`;
    expect(event?.detail).toEqual({ method: "password" });
  });

  test("a button's action (revoking the key) asks too, and runs once confirmed", async ({ page }) => {
    await signInToAccount(page);
    await ageSessions();

    await page.getByRole("button", { name: "Revoke deploy script" }).click();
    const prompt = page.getByRole("alert").filter({ hasText: "Confirm it is you" });
    await prompt.getByLabel("Your password").fill(USER.password);
    await prompt.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByText("No API keys.")).toBeVisible();
  });

  test("without JavaScript the prompt is a link to /reauthenticate, which comes back", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInToAccount(page);
    await ageSessions();

    await page.getByRole("textbox", { name: "Name", exact: true }).fill("no-js key");
    await page.getByRole("button", { name: "Create API key" }).click();
    await page.getByRole("link", { name: "Confirm it is you" }).click();
    await expect(page).toHaveURL(`${ORIGIN}/reauthenticate?next=%2Faccount`);
    await page.getByLabel("Password").fill(USER.password);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page).toHaveURL(`${ORIGIN}/account`);
    await page.getByRole("textbox", { name: "Name", exact: true }).fill("no-js key");
    await page.getByRole("button", { name: "Create API key" }).click();
    await expect(page.getByRole("status").filter({ hasText: "you will not see it again" })).toBeVisible();
    await context.close();
  });

  test("an account with a passkey steps up with it: the prompt offers no password", async ({ page }) => {
    await addVirtualAuthenticator(page);
    await signInToAccount(page);
    await page.getByLabel("Passkey name").fill("Laptop");
    await page.getByRole("button", { name: "Add passkey" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Passkey “Laptop” added" })).toBeVisible();
    await ageSessions();

    await page.getByRole("textbox", { name: "Name", exact: true }).fill("passkey-confirmed key");
    await page.getByRole("button", { name: "Create API key" }).click();
    const prompt = page.getByRole("alert").filter({ hasText: "Confirm it is you" });
    await expect(prompt.getByRole("button", { name: "Use a passkey" })).toBeVisible();
    await expect(prompt.getByLabel("Your password")).toHaveCount(0);
    await prompt.getByRole("button", { name: "Use a passkey" }).click();
    await expect(page.getByRole("status").filter({ hasText: "you will not see it again" })).toBeVisible();
    const [event] = await sql`select detail from security_events where type = 'reauthenticated' order by created_at desc limit 1`;
    expect(event?.detail).toEqual({ method: "passkey" });
    const [session] = await sql`select two_factor from sessions where revoked_at is null order by created_at desc limit 1`;
    expect(session?.two_factor).toBe(true);
  });

  // Last: it makes the user an admin under the policy.
  test("with a second factor required of admins, a password-only admin is sent from /admin to /account, and adding a passkey lets them in", async ({ page }) => {
    await sql`update users set role = 'admin' where email = ${USER.email}`;
    await sql`insert into app_settings (key, value, updated_at) values ('requireAdminSecondFactor', 'true'::jsonb, now())`;
    await addVirtualAuthenticator(page);
    await signInToAccount(page);

    await page.goto(`${ORIGIN}/admin`);
    await expect(page).toHaveURL(`${ORIGIN}/account?notice=admin_second_factor`);
    await expect(page.getByRole("alert").filter({ hasText: "Administrators must use a second factor" })).toBeVisible();
    expect((await page.request.get(`${ORIGIN}/api/admin/users`)).status(), "the admin API holds the same line").toBe(403);

    await page.getByLabel("Passkey name").fill("Admin laptop");
    await page.getByRole("button", { name: "Add passkey" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Passkey “Admin laptop” added" })).toBeVisible();
    await page.goto(`${ORIGIN}/admin`);
    await expect(page).toHaveURL(`${ORIGIN}/admin`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect((await page.request.get(`${ORIGIN}/api/admin/users`)).status()).toBe(200);
  });
});
