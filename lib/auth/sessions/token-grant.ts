import { redeemAuthorizationCode } from "@/lib/auth/native/code-grant";
import { logIn } from "@/lib/auth/passwords/login";
import { refreshSession } from "@/lib/auth/sessions/refresh";
import type { SignedIn } from "@/lib/auth/sessions/start-session";
import type { TokenRequest } from "@/lib/auth/sessions/token-request";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";

/** RFC 6749 §5.1, as the native client receives it. */
export type TokenResponse = {
  access_token: string;
  refresh_token: string;
  token_type: "Bearer";
  expires_in: number;
};

/**
 * Native and mobile clients get the same sessions as browsers (kind "native"):
 * the same rotation, grace window, reuse detection, rate limits and device
 * list. Only the transport differs: tokens in the body, never cookies. A
 * refused code, password or refresh token is `invalid_grant` (RFC 6749 §5.2).
 */
export async function grantTokens(request: TokenRequest, meta: ClientMeta, now = new Date()): Promise<TokenResponse> {
  const signedIn = await grant(request, meta, now);
  if (!signedIn) throw new AppError("invalidGrant");
  return {
    access_token: signedIn.access.token,
    refresh_token: signedIn.refresh.refreshToken,
    token_type: "Bearer",
    // exp is in whole seconds, so this is the lifetime or a second less: never more than the truth.
    expires_in: Math.max(0, Math.floor((signedIn.access.expiresAt.getTime() - now.getTime()) / 1000)),
  };
}

function grant(request: TokenRequest, meta: ClientMeta, now: Date): Promise<SignedIn | null> {
  switch (request.grantType) {
    case "authorization_code":
      return redeemAuthorizationCode(request, meta, now);
    case "password":
      return passwordGrant(request, meta, now);
    case "refresh_token":
      return refreshSession(request.refreshToken, { kind: "native", meta, now });
  }
}

async function passwordGrant(request: Extract<TokenRequest, { grantType: "password" }>, meta: ClientMeta, now: Date): Promise<SignedIn> {
  try {
    const outcome = await logIn({ email: request.email, password: request.password }, { kind: "native", meta, now });
    // Asked only once the password is proven: without it, nobody learns which accounts have a second factor.
    if (outcome.kind === "second_factor") throw new AppError("secondFactorGrantRefused");
    return outcome.signedIn;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === "invalid_credentials") throw new AppError("invalidGrant");
    // RFC 6749 has no code for it; the sentence tells the app what to show.
    if (error.code === "email_not_verified") throw new AppError("invalidGrant", { message: error.message });
    throw error;
  }
}
