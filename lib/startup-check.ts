import { authSecret, env } from "@/lib/env";
import { keyRing } from "@/lib/auth/keys";

/**
 * Run once when the server starts (instrumentation.ts): a missing, weak or
 * sample secret stops start-up with a sentence that names the variable,
 * instead of failing on the first sign-in.
 */
export async function checkStartupConfig(): Promise<void> {
  env();
  authSecret();
  await keyRing();
}

export async function checkStartupConfigOrExit(): Promise<void> {
  try {
    await checkStartupConfig();
  } catch (error) {
    console.error(`\nDoorman cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
