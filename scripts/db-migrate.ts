import { loadEnvFiles } from "./lib/env-files";
import { closeDb, getDb, migrateDatabase } from "@/db/client";
import { env } from "@/lib/env";

loadEnvFiles("production");

// Applies the committed migrations to DATABASE_URL (over DATABASE_URL_UNPOOLED when set), or to the embedded database in DATA_DIR.
async function main(): Promise<void> {
  await migrateDatabase(await getDb());
  const { DATABASE_URL, DATABASE_URL_UNPOOLED, DATA_DIR } = env();
  const target = DATABASE_URL_UNPOOLED ? "DATABASE_URL_UNPOOLED" : "DATABASE_URL";
  console.log(`Migrations applied to ${DATABASE_URL ? `PostgreSQL (${target})` : `PGlite in ${DATA_DIR}`}.`);
  await closeDb();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
