import { loadEnvFiles } from "./lib/env-files";
import { parseArgs } from "node:util";
import { z } from "zod";
import { closeDb } from "@/db/client";
import { EmailSchema, NameSchema, NewPasswordSchema, RoleSchema, refuseOwnEmailOrName } from "@/lib/auth/schemas";
import { setRoleByEmail, upsertVerifiedUser } from "@/lib/auth/accounts/upsert-user";
import { fieldErrors } from "@/lib/http/read-json";
import { resetSecondFactorsByEmail } from "@/lib/admin/reset-second-factors";
import { readPassword } from "./lib/read-password";

loadEnvFiles("production");

// npm run user -- create --email E --name N [--role admin]   (password: prompt, or the first line of stdin)
// npm run user -- role --email E --role admin|user
// npm run user -- reset-second-factors --email E

const USAGE = [
  "Usage: npm run user -- create --email E --name N [--role admin]   (asks for the password, or reads it from stdin)",
  "       npm run user -- role --email E --role admin|user",
  "       npm run user -- reset-second-factors --email E",
].join("\n");

// A command line is readable by every user of the machine (ps, /proc) and stays in shell history.
const PASSWORD_ON_COMMAND_LINE = [
  "--password is not accepted: a password on the command line is visible to other users of this machine and stays in shell history.",
  "Leave it out and type the password when asked, or pipe it in: printf '%s\\n' \"$PASSWORD\" | npm run user -- create --email E --name N",
].join("\n");

const CreateInput = z
  .object({ email: EmailSchema, password: NewPasswordSchema, name: NameSchema, role: RoleSchema.default("user") })
  .superRefine(refuseOwnEmailOrName);

const RoleInput = z.object({ email: EmailSchema, role: RoleSchema });
const EmailInput = z.object({ email: EmailSchema });

function parse<S extends z.ZodType>(schema: S, values: unknown): z.infer<S> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const problems = Object.entries(fieldErrors(parsed.error)).map(([field, message]) => `  ${field === "password" ? "password" : `--${field}`}: ${message}`);
  throw new Error(`${USAGE}\n${problems.join("\n")}`);
}

async function create(values: Record<string, unknown>): Promise<void> {
  const input = parse(CreateInput, { ...values, password: await readPassword() });
  const result = await upsertVerifiedUser(input);
  console.log(
    result.created
      ? `Created verified ${input.role} ${input.email.address} (${result.id}).`
      : `${input.email.address} already exists: role set to ${input.role}.`,
  );
}

/** How to make the first admin of a deployment (README "Admin console"). */
async function role(values: unknown): Promise<void> {
  const input = parse(RoleInput, values);
  const result = await setRoleByEmail(input.email, input.role);
  if (!result) throw new Error(`No account uses ${input.email.address}. Create one with \`npm run user -- create\`.`);
  console.log(
    result.changed
      ? `${input.email.address} is now ${input.role === "admin" ? "an admin" : "a user"}; ${result.sessionsEnded} session(s) ended, so they sign in again.`
      : `${input.email.address} already has the role ${input.role}; nothing changed.`,
  );
}

/** An account locked out of its second factors, the last admin's included (README "Second factors and step-up"). */
async function resetFactors(values: unknown): Promise<void> {
  const input = parse(EmailInput, values);
  const removed = await resetSecondFactorsByEmail(input.email.canonical);
  if (!removed) throw new Error(`No account uses ${input.email.address}.`);
  console.log(
    removed.totp || removed.passkeys > 0
      ? `${input.email.address}: authenticator app ${removed.totp ? "removed" : "none"}, ${removed.recoveryCodes} recovery code(s) and ${removed.passkeys} passkey(s) removed; they were emailed. Their password alone signs in now.`
      : `${input.email.address} has no second factor; nothing changed.`,
  );
}

async function main(): Promise<void> {
  if (process.argv.some((arg) => arg === "--password" || arg.startsWith("--password="))) throw new Error(PASSWORD_ON_COMMAND_LINE);
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string" } },
  });
  const command = positionals[0];
  if (command === "create") return create(values);
  if (command === "role") return role(values);
  if (command === "reset-second-factors") return resetFactors(values);
  throw new Error(USAGE);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
