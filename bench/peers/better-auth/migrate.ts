import { getMigrations } from "better-auth/db/migration";
import { auth } from "./lib/auth";
import { pool } from "./lib/pool";

// `npm run migrate`: creates Better Auth's own tables (user, session, account,
// verification) in DATABASE_URL, planned from the options the app runs with.

async function main(): Promise<void> {
  const { toBeCreated, toBeAdded, runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  console.log(`tables created: ${toBeCreated.map((t) => t.table).join(", ") || "none"}; tables given new columns: ${toBeAdded.length}`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => pool.end());
