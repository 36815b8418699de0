import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/passwords/password";

// `npm run user -- create` as an operator runs it, on an embedded database of its own.
// A password in argv is readable by every user of the machine (ps, /proc) and stays in shell history.

const PASSWORD = "correct horse battery staple";
let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "doorman-user-cli-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

function runUser(args: string[], stdin = "") {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", DATABASE_URL: "", DATA_DIR: dataDir };
  return spawnSync("npm", ["run", "-s", "user", "--", ...args], { env, input: stdin, encoding: "utf8", timeout: 90_000 });
}

async function storedHash(email: string): Promise<string | undefined> {
  const client = new PGlite(path.join(dataDir, "pglite"));
  try {
    const { rows } = await client.query<{ password_hash: string }>("select password_hash from users where email = $1", [email]);
    return rows[0]?.password_hash;
  } finally {
    await client.close();
  }
}

describe("npm run user -- create", { timeout: 240_000 }, () => {
  // Regression: the CLI took the password as --password, on the command line.
  it("refuses --password, saying how to give it instead, and creates nothing", async () => {
    for (const flag of [["--password", PASSWORD], [`--password=${PASSWORD}`]]) {
      const result = runUser(["create", "--email", "ada@example.com", ...flag, "--name", "Ada"]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("--password is not accepted");
      expect(result.stderr).toContain("type the password when asked, or pipe it in");
    }
    const created = runUser(["role", "--email", "ada@example.com", "--role", "admin"]);
    expect(created.stderr).toContain("No account uses ada@example.com");
  });

  it("reads the password from the first line of stdin", async () => {
    const result = runUser(["create", "--email", "ada@example.com", "--name", "Ada"], `${PASSWORD}\nignored second line\n`);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Created verified user ada@example\.com /);
    const hash = await storedHash("ada@example.com");
    expect(await verifyPassword(PASSWORD, hash!)).toBe(true);
  });

  it("checks a piped password like any other: too short is refused", () => {
    const result = runUser(["create", "--email", "ada@example.com", "--name", "Ada"], "short\n");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("password: Use at least 12 characters.");
  });
});

describe("npm run user -- reset-second-factors", { timeout: 240_000 }, () => {
  async function query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
    const client = new PGlite(path.join(dataDir, "pglite"));
    try {
      return (await client.query<Row>(sql, params)).rows;
    } finally {
      await client.close();
    }
  }

  it("removes an account's authenticator app, recovery codes and passkeys, records it and tells the owner", async () => {
    expect(runUser(["create", "--email", "root@example.com", "--name", "Root", "--role", "admin"], `${PASSWORD}\n`).status).toBe(0);
    const [{ id }] = (await query<{ id: string }>("select id from users where email = 'root@example.com'")) as [{ id: string }];
    await query("insert into totp_factors (user_id, secret_sealed, confirmed_at, created_at) values ($1, 'sealed', now(), now())", [id]);
    await query("insert into recovery_codes (id, user_id, code_hash, created_at) values (gen_random_uuid(), $1, 'hash', now())", [id]);
    await query(
      "insert into passkeys (id, user_id, credential_id, public_key, transports, device_type, backed_up, name, created_at) values (gen_random_uuid(), $1, 'cred', 'pk', '{}', 'singleDevice', false, 'Key', now())",
      [id],
    );

    const result = runUser(["reset-second-factors", "--email", "ROOT@example.com"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("ROOT@example.com: authenticator app removed, 1 recovery code(s) and 1 passkey(s) removed");
    const left = await query<{ n: number }>(
      "select (select count(*) from totp_factors) + (select count(*) from recovery_codes) + (select count(*) from passkeys) as n",
    );
    expect(Number(left[0]!.n)).toBe(0);
    const events = await query<{ detail: unknown }>("select detail from security_events where type = 'second_factors_reset'");
    expect(events.map((event) => event.detail)).toEqual([{ via: "command_line", totp: true, recoveryCodes: 1, passkeys: 1 }]);
    expect(await query("select 1 from email_outbox where kind = 'second_factors_reset'")).toHaveLength(1);

    const again = runUser(["reset-second-factors", "--email", "root@example.com"]);
    expect(again.stdout).toContain("has no second factor; nothing changed.");
    expect(runUser(["reset-second-factors", "--email", "nobody@example.com"]).stderr).toContain("No account uses nobody@example.com.");
  });
});
