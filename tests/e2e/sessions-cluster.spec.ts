import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { unsealData } from "iron-session";
import { createDatabase, prepareDatabase, startApp, testSecrets, type AppProcess } from "../../scripts/lib/app-process";
import { HttpClient } from "./support/http-client";

// Two `next start` instances on one PostgreSQL behave as one (contract
// invariant 6): a token rotated on one is reuse on the other, and concurrent
// refreshes split across both converge on one successor.

const adminUrl = process.env.TEST_DATABASE_URL;
const USER = { email: "cluster@example.com", password: "correct horse battery staple", name: "Cluster" };
const GRACE_SECONDS = 2;

test.describe("two instances on one PostgreSQL", () => {
  test.skip(!adminUrl, "needs TEST_DATABASE_URL");
  test.describe.configure({ mode: "serial", timeout: 120_000 });

  let database: Awaited<ReturnType<typeof createDatabase>>;
  let secrets: Awaited<ReturnType<typeof testSecrets>>;
  let a: AppProcess;
  let b: AppProcess;

  test.beforeAll(async () => {
    database = await createDatabase(adminUrl!);
    prepareDatabase(database.url, USER);
    secrets = await testSecrets();
    const env = {
      ...secrets,
      DATABASE_URL: database.url,
      APP_URL: "http://localhost:3110",
      REFRESH_REUSE_GRACE_SECONDS: String(GRACE_SECONDS),
    };
    [a, b] = await Promise.all([startApp(3110, env), startApp(3111, env)]);
  });

  test.afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  async function signIn(): Promise<HttpClient> {
    const client = new HttpClient(a.origin);
    const response = await client.request("/api/auth/login", { json: { email: USER.email, password: USER.password } });
    expect(response.status).toBe(200);
    return client;
  }

  const refreshTokenOf = async (sealed: string) => (await unsealData<{ rt: string }>(sealed, { password: secrets.AUTH_SECRET })).rt;

  test("a token rotated on one instance and replayed on the other after the grace window revokes the family", async () => {
    const onA = await signIn();
    const stolen = onA.via(b.origin);
    // Twice: the successor was used, so the replay is no lost answer (docs/decisions/0021).
    expect((await onA.request("/api/auth/refresh", { method: "POST" })).status).toBe(200);
    expect((await onA.request("/api/auth/refresh", { method: "POST" })).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, (GRACE_SECONDS + 1) * 1000));
    const replay = await stolen.request("/api/auth/refresh", { method: "POST" });
    expect(replay.status).toBe(401);
    expect((await replay.json()).error.code).toBe("invalid_session");

    // The legitimate holder's newer token died with the family.
    expect((await onA.via(a.origin).request("/api/auth/refresh", { method: "POST" })).status).toBe(401);
    const sql = postgres(database.url, { max: 1 });
    const events = await sql`select user_id, session_id, ip from security_events where type = 'refresh_token_reuse'`;
    await sql.end();
    expect(events).toHaveLength(1);
    expect(events[0]!.session_id).toBeTruthy();
  });

  test("concurrent refreshes split across both instances all succeed and converge", async () => {
    const client = await signIn();
    const clients = Array.from({ length: 20 }, (_, i) => client.via(i % 2 === 0 ? a.origin : b.origin));
    const responses = await Promise.all(clients.map((c) => c.request("/api/auth/refresh", { method: "POST" })));
    expect(responses.map((r) => r.status), a.logs() + b.logs()).toEqual(Array(20).fill(200));

    const names = [...client.cookies.keys()];
    const refreshName = names.find((n) => n.endsWith("doorman.rt"))!;
    const successors = new Set(await Promise.all(clients.map((c) => refreshTokenOf(c.cookies.get(refreshName)!))));
    expect(successors.size).toBe(1);
    // The one successor works on either instance.
    expect((await clients[1]!.request("/api/me")).status).toBe(200);
    expect((await clients[0]!.via(b.origin).request("/api/auth/refresh", { method: "POST" })).status).toBe(200);
  });
});
