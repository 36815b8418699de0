import type { Instrumentation } from "next";

export async function register(): Promise<void> {
  // The reads of process.env outside lib/env.ts: Next replaces this literal
  // at build time, which is what keeps the Node-only modules (and
  // process.exit) out of the edge bundle.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkStartupConfigOrExit } = await import("@/lib/startup-check");
  await checkStartupConfigOrExit();
}

/** An error nothing of ours answered, logged as every other line is (lib/request-error.ts). */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { logRequestError } = await import("@/lib/request-error");
  logRequestError(error, request, context);
};
