import { afterAll, afterEach, beforeEach, vi } from "vitest";
import { useTestSecrets } from "./test-env";
import { failOnConsoleError } from "./console-guard";
import { createTestDatabase, resetDatabase, dropTestDatabase } from "./database";
import { closeDb } from "@/db/client";
import { resetEnvCache } from "@/lib/env";

await useTestSecrets();
await createTestDatabase();
resetEnvCache();
failOnConsoleError();

// Each test starts from empty tables, never from what the previous one left.
beforeEach(async () => {
  await resetDatabase();
});

// advanceClock fakes Date; the next test starts on the real clock.
afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await closeDb();
  await dropTestDatabase();
});
