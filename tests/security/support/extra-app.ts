import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { LAUNCHERS, startApp, testSecrets, type AppProcess } from "../../../scripts/lib/app-process";

// App instances of a test's own (`node server.mjs`, as `npm start` runs it, or plain `next start`),
// for what the shared server cannot show: another TRUST_PROXY setting, or its
// whole log. Each gets a fresh embedded database in a temporary DATA_DIR.
// Ports 3210-3219 and 4710-4714 are this suite's; each file that starts one owns its port,
// so the two workers never collide.

export const EXTRA_PORTS = {
  ipLimitDirect: 3210,
  ipLimitBehindProxy: 3211,
  forwardingProxy: 3212,
  logs: 3213,
  // tests/security/client-ip.spec.ts
  nextStart: 4710,
  serverMjs: 4711,
  twoProxies: 4712,
  innerProxy: 4713,
  outerProxy: 4714,
} as const;

export type ExtraApp = AppProcess & { secrets: { AUTH_SECRET: string; JWT_SIGNING_KEYS: string } };

export async function startExtraApp(
  port: number,
  env: Record<string, string> = {},
  launcher: (typeof LAUNCHERS)[keyof typeof LAUNCHERS] = LAUNCHERS.serverMjs,
): Promise<ExtraApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "doorman-security-"));
  const secrets = await testSecrets();
  const app = await startApp(port, {
    APP_URL: `http://127.0.0.1:${port}`,
    // Whatever the shell says: the embedded database, no proxy, email kept in the outbox.
    DATABASE_URL: "",
    DATA_DIR: dataDir,
    TRUST_PROXY: "false",
    RESEND_API_KEY: "",
    // Off by default (RFC 9700); the IP-limit tests send password grants.
    PASSWORD_GRANT: "true",
    ...secrets,
    ...env,
  }, [], launcher);
  return {
    ...app,
    secrets,
    stop: async () => {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
