export async function register(): Promise<void> {
  // The one read of process.env outside lib/env.ts: Next replaces this literal
  // at build time, which is what keeps the Node-only check (and its
  // process.exit) out of the edge bundle.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkStartupConfigOrExit } = await import("@/lib/startup-check");
  await checkStartupConfigOrExit();
}
