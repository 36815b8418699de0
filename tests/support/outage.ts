import net from "node:net";
import { afterEach, expect } from "vitest";
import { closeDb } from "@/db/client";
import { resetEnvCache } from "@/lib/env";

/**
 * The app's database, switchable by the tests of one file: `to(url)` points
 * the app at `url` (a dead port, a proxy) until `back()` or the end of the
 * test, whichever comes first, then back at the test database.
 */
export function databaseSwitch(): { to: (url: string) => Promise<void>; back: () => Promise<void> } {
  let restore: (() => Promise<void>) | null = null;
  const back = async () => {
    const pending = restore;
    restore = null;
    await pending?.();
  };
  afterEach(back);
  return {
    to: async (url) => {
      await back();
      restore = await switchDatabase(url);
    },
    back,
  };
}

async function switchDatabase(url: string): Promise<() => Promise<void>> {
  const original = process.env.DATABASE_URL;
  const originalDir = process.env.DATA_DIR;
  await closeDb();
  process.env.DATABASE_URL = url;
  resetEnvCache();
  return async () => {
    await closeDb();
    if (original === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = original;
    process.env.DATA_DIR = originalDir;
    resetEnvCache();
  };
}

/** Contract invariant 8's "try again": 503 with Retry-After, no cookie touched. */
export async function expectUnavailable(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(response.headers.getSetCookie()).toEqual([]);
  expect((await response.json()).error.code).toBe("temporarily_unavailable");
}

/** A port that accepts connections and never answers: the hanging-database case. */
export async function blackHole(): Promise<{ url: string; close: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/test`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** A DATABASE_URL whose port nothing listens on: the refused-connections case. */
export async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `postgres://postgres@127.0.0.1:${port}/test`;
}
