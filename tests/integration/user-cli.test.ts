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
