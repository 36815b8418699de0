import { z } from "zod";
import { cookieOptions, ssoFlowCookieName } from "@/lib/auth/edge/cookies";
import { sealIron, unsealIron } from "@/lib/auth/iron-seal";
import type { CookieJar } from "@/lib/auth/sessions/session-cookies";
import { authSecret } from "@/lib/env";

// What a sign-in with a provider must remember between leaving for the
// provider and coming back: the state that ties the answer to this browser,
// the nonce the ID token must carry and the PKCE verifier that redeems the
// code. Sealed (encrypted and authenticated) so the browser can neither read
// nor change them, bound to one provider, and short-lived: a flow left
// unfinished for ten minutes is over. One flow per browser at a time; a newer
// start replaces it, and the callback clears it whatever the outcome.

const SSO_FLOW_TTL_SECONDS = 600;

/** Set when the flow links a provider to a signed-in account rather than signing in. */
const LinkTarget = z.object({ userId: z.uuid(), sessionId: z.uuid() });

const SsoFlow = z.object({
  purpose: z.literal("sso-flow"),
  provider: z.string(),
  state: z.string().min(32),
  nonce: z.string().min(32).nullable(),
  verifier: z.string().min(43),
  next: z.string(),
  link: LinkTarget.nullable(),
});

export type SsoFlow = Omit<z.infer<typeof SsoFlow>, "purpose">;

export function setSsoFlowCookie(jar: CookieJar, flow: SsoFlow, nowMs = Date.now()): void {
  jar.set(ssoFlowCookieName(), sealIron({ purpose: "sso-flow", ...flow }, authSecret(), SSO_FLOW_TTL_SECONDS, nowMs), cookieOptions(SSO_FLOW_TTL_SECONDS));
}

/** The flow this browser started with `provider`, if it is still running; null for any other cookie. */
export function readSsoFlowCookie(jar: Pick<CookieJar, "get">, provider: string, nowMs = Date.now()): SsoFlow | null {
  const sealed = jar.get(ssoFlowCookieName())?.value;
  if (!sealed) return null;
  const parsed = SsoFlow.safeParse(unsealIron(sealed, authSecret(), nowMs));
  if (!parsed.success || parsed.data.provider !== provider) return null;
  const { purpose: _purpose, ...flow } = parsed.data;
  return flow;
}

export function clearSsoFlowCookie(jar: CookieJar): void {
  jar.set(ssoFlowCookieName(), "", cookieOptions(0));
}
