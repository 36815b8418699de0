import { linkProvider } from "@/lib/auth/sso/link-provider";
import type { SsoFlow } from "@/lib/auth/sso/flow-cookie";
import { finishProviderFlow } from "@/lib/auth/sso/provider-flow";
import type { SsoProvider } from "@/lib/auth/sso/providers";
import { signInWithProvider } from "@/lib/auth/sso/sign-in-with-provider";
import { SsoError, type SsoErrorCode } from "@/lib/auth/sso/sso-error";
import type { PendingSignIn } from "@/lib/auth/sessions/open-session";
import type { SignedIn } from "@/lib/auth/sessions/start-session";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";
import { logEvent } from "@/lib/log";
import { isDatabaseUnavailable } from "@/db/errors";
import { DeadlineExceededError } from "@/lib/deadline";

// What a provider's answer comes to: a session, a linked provider, or a
// refusal with a code the page turns into one sentence. Every failure is a
// value here, so the callback redirects with a message, never a 500, and
// nothing it began is left half-written (each outcome is one transaction).

export type CallbackOutcome =
  | { kind: "signed_in"; signedIn: SignedIn; next: string }
  | { kind: "second_factor"; pending: PendingSignIn; next: string }
  | { kind: "linked"; provider: string }
  | { kind: "failed"; code: SsoErrorCode; next: string; linking: boolean };

export async function completeProviderCallback(input: {
  provider: SsoProvider;
  /** Null: this browser has no running flow with this provider (expired, another tab, or never started here). */
  flow: SsoFlow | null;
  returned: URL;
  meta: ClientMeta;
}): Promise<CallbackOutcome> {
  const { provider, flow } = input;
  if (!flow) return failed("flow_expired", null, provider);
  try {
    const identity = await finishProviderFlow(provider, flow, input.returned);
    if (flow.link) {
      await linkProvider(provider, identity, flow.link, { meta: input.meta });
      return { kind: "linked", provider: provider.id };
    }
    const outcome = await signInWithProvider(provider, identity, { kind: "browser", meta: input.meta });
    return outcome.kind === "signed_in"
      ? { kind: "signed_in", signedIn: outcome.signedIn, next: flow.next }
      : { kind: "second_factor", pending: outcome.pending, next: flow.next };
  } catch (error) {
    return failed(refusal(error), flow, provider, error);
  }
}

function refusal(error: unknown): SsoErrorCode {
  if (error instanceof SsoError) return error.code;
  if (error instanceof AppError && error.code === "rate_limited") return "rate_limited";
  if (error instanceof AppError || error instanceof DeadlineExceededError || isDatabaseUnavailable(error)) return "unavailable";
  throw error;
}

function failed(code: SsoErrorCode, flow: SsoFlow | null, provider: SsoProvider, error?: unknown): CallbackOutcome {
  logEvent("warn", "sso.refused", { provider: provider.id, code, detail: error instanceof SsoError ? error.detail : undefined });
  return { kind: "failed", code, next: flow?.next ?? "/dashboard", linking: Boolean(flow?.link) };
}
