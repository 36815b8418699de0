import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

// Unit tests sit beside the code (lib/**/*.test.ts). Integration tests call the
// real route handlers against a real database: embedded PGlite always, and
// PostgreSQL too when TEST_DATABASE_URL is set (CI sets it).

const root = import.meta.dirname;
// A committed `.only` would quietly skip the rest: CI refuses it (`.ci/run`
// sets CI=true), as playwright.config.ts's forbidOnly does. Vitest's own
// default is the same, but per project and by its own CI detection: stated here.
const allowOnly = !process.env.CI;
const shared = {
  resolve: {
    alias: {
      "@": root,
      // `server-only` throws outside a React Server Components build; tests are server code.
      "server-only": path.join(root, "tests/support/server-only-stub.ts"),
    },
  },
};

const integration = (name: string, database: "pglite" | "postgres") => ({
  ...shared,
  test: {
    name,
    allowOnly,
    include: ["tests/integration/**/*.test.ts"],
    setupFiles: ["tests/support/setup-integration.ts"],
    globalSetup: database === "pglite" ? ["tests/support/pglite-template.ts"] : [],
    env: { DOORMAN_TEST_DATABASE: database },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    // Vitest's default is one worker less than the cores: a single worker on a
    // 2-core machine, where integration files spend most of their time waiting
    // on the database and on the bcrypt threads. Two halved the run there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      { ...shared, test: { name: "unit", allowOnly, include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "tests/repository/**/*.test.ts"], setupFiles: ["tests/support/setup-unit.ts"] } },
      integration("integration:pglite", "pglite"),
      ...(process.env.TEST_DATABASE_URL ? [integration("integration:postgres", "postgres")] : []),
    ],
  },
});
