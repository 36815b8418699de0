import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` uses this file: migrations are plain SQL that both
// PGlite and PostgreSQL apply (see db/client.ts), so no connection is configured here.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
