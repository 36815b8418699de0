import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { inject } from "vitest";
import { getDb } from "@/db/client";

// PGlite: a copy of a migrated template data directory per test file (see
// pglite-template.ts). PostgreSQL: a fresh database per test file, created on
// TEST_DATABASE_URL's server and dropped afterwards.

let createdName: string | null = null;
let copiedDir: string | null = null;

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set");
  return url;
}

export async function createTestDatabase(): Promise<void> {
  if (process.env.DOORMAN_TEST_DATABASE !== "postgres") {
    delete process.env.DATABASE_URL;
    copiedDir = fs.mkdtempSync(path.join(os.tmpdir(), "doorman-pglite-"));
    fs.cpSync(inject("pgliteTemplate"), path.join(copiedDir, "pglite"), { recursive: true });
    process.env.DATA_DIR = copiedDir;
    return;
  }
  createdName = `doorman_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${createdName}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${createdName}`;
  process.env.DATABASE_URL = url.toString();
}

export async function dropTestDatabase(): Promise<void> {
  if (copiedDir) fs.rmSync(copiedDir, { recursive: true, force: true });
  if (!createdName) return;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${createdName} with (force)`);
  } finally {
    await admin.end();
  }
}

const TABLES = ["authorization_codes", "security_events", "rate_limits", "email_provider_faults", "email_outbox", "one_time_tokens", "refresh_tokens", "sessions", "users"];

export async function resetDatabase(): Promise<void> {
  const db = await getDb();
  await db.execute(sql.raw(`truncate table ${TABLES.join(", ")} cascade`));
}
