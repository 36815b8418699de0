import { loadEnvFiles } from "./lib/env-files";
import { closeDb, getDb, migrateDatabase } from "@/db/client";
import { env } from "@/lib/env";

loadEnvFiles("production");

// Applies the committed migrations to DATABASE_URL, or to the embedded database in DATA_DIR.
async function main(): Promise<void> {
  await migrateDatabase(await getDb());
  console.log(`Migrations applied to ${env().DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${env().DATA_DIR}`}.`);
  await closeDb();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
