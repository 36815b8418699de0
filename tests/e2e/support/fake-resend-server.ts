import { startFakeResend } from "../../support/fake-resend";

// Playwright's webServer entry: `tsx tests/e2e/support/fake-resend-server.ts [port]`
// (or E2E_FAKE_RESEND_PORT). Accepts only RESEND_API_KEY when it is set. Runs until stopped.

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? process.env.E2E_FAKE_RESEND_PORT ?? 3199);
  const server = await startFakeResend({ port, apiKey: process.env.RESEND_API_KEY });
  console.log(`fake Resend listening on ${server.url}`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => void server.close().finally(() => process.exit(0)));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
