import { parseArgs } from "node:util";
import { z } from "zod";
import { closeDb } from "@/db/client";
import { EmailSchema, NameSchema, NewPasswordSchema, refuseOwnEmailOrName } from "@/lib/auth/schemas";
import { upsertVerifiedUser } from "@/lib/auth/upsert-user";
import { fieldErrors } from "@/lib/http/read-json";

// npm run user -- create --email E --password P --name N [--role admin]

const USAGE = "Usage: npm run user -- create --email E --password P --name N [--role admin]";

const CreateInput = z
  .object({
    email: EmailSchema,
    password: NewPasswordSchema,
    name: NameSchema,
    role: z.enum(["user", "admin"]).default("user"),
  })
  .superRefine(refuseOwnEmailOrName);

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" }, role: { type: "string" } },
  });
  if (positionals[0] !== "create") throw new Error(USAGE);
  const parsed = CreateInput.safeParse(values);
  if (!parsed.success) {
    const problems = Object.entries(fieldErrors(parsed.error)).map(([field, message]) => `  --${field}: ${message}`);
    throw new Error(`${USAGE}\n${problems.join("\n")}`);
  }
  const result = await upsertVerifiedUser(parsed.data);
  console.log(
    result.created
      ? `Created verified ${parsed.data.role} ${parsed.data.email.address} (${result.id}).`
      : `${parsed.data.email.address} already exists: role set to ${parsed.data.role}.`,
  );
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
