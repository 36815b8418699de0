import { spawnSync } from "node:child_process";
import path from "node:path";
import { createUserWithCli } from "../../../scripts/lib/app-process";

// Every e2e run starts with one admin, made the way an operator makes the
// first one: with the real `npm run user` commands. They run from
// playwright.config.ts before the app starts, because an embedded database
// allows one process at a time and the app holds it for the whole run.

export const E2E_ADMIN = { name: "Alan Admin", email: "admin@doorman.test", password: "correct horse battery staple" } as const;

const ROOT = path.resolve(__dirname, "../../..");

/** `create` a plain user (password on stdin), then `role … --role admin`: both commands the README documents. */
export function createAdminWithCli(env: Record<string, string>): void {
  createUserWithCli({ ...process.env, ...env }, E2E_ADMIN);
  const args = ["role", "--email", E2E_ADMIN.email, "--role", "admin"];
  const result = spawnSync("npm", ["run", "-s", "user", "--", ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`npm run user -- role failed:\n${result.stdout}${result.stderr}`);
}
