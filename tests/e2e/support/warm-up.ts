import type { FullConfig } from "@playwright/test";
import { APP_URL } from "./servers";

// Global setup. The first request that touches the database opens and
// migrates the embedded PGlite (several seconds on a small machine); pay that
// once here so no test's time budget depends on running first. An unknown
// verification token reads the database and changes nothing.
export default async function warmUp(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0]?.use.baseURL ?? APP_URL;
  const response = await fetch(new URL("/api/auth/verify-email", baseURL), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: "warm-up-token-that-does-not-exist" }),
    signal: AbortSignal.timeout(60_000),
  });
  if (response.status !== 400) throw new Error(`warm-up: expected 400 invalid_token, got ${response.status} ${await response.text()}`);
}
