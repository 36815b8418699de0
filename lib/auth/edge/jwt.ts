import { SignJWT, jwtVerify, errors, type JWTPayload } from "jose";
import { env, appOrigin } from "@/lib/env";
import { ACCESS_TOKEN_ALG, keyRing } from "@/lib/auth/edge/keys";
import { recallVerifiedToken, rememberVerifiedToken } from "@/lib/auth/edge/verified-tokens";

// Edge-safe: imported by middleware.ts. Signing happens only in route handlers,
// server actions and callApi (Node), but lives here so both sides share one claim shape.

export const ACCESS_TOKEN_TYPE = "at+jwt";
export const ACCESS_TOKEN_AUDIENCE = "doorman";
/** Long enough for one call to a downstream API, short enough that a leaked one is soon worthless. */
export const DOWNSTREAM_TOKEN_TTL_SECONDS = 60;
/** SECURITY.md: tokens over 4 KB are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 4096;

export type Role = "user" | "admin";

export type AccessClaims = {
  sub: string;
  sid: string;
  role: Role;
  email: string;
  name: string;
  iat: number;
  exp: number;
  jti: string;
};

export type VerifyResult =
  | { ok: true; claims: AccessClaims }
  | { ok: false; reason: "expired" | "invalid" };

export async function signAccessToken(input: {
  userId: string;
  sessionId: string;
  role: Role;
  email: string;
  name: string;
  now?: Date;
}): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const claims = { sub: input.userId, sid: input.sessionId, role: input.role, email: input.email, name: input.name };
  return signToken(claims, { audience: ACCESS_TOKEN_AUDIENCE, iat, exp: iat + env().ACCESS_TOKEN_TTL_SECONDS });
}

/**
 * What callApi (Node only) sends to a downstream API instead of the user's
 * own access token (docs/decisions/0016): the same user and session, the
 * downstream's audience (its origin, in the manner of an RFC 8707 resource
 * indicator) and a minute to live, never past the token it stands for.
 * Doorman itself refuses it everywhere: its verifier wants `aud` "doorman"
 * exactly, so a downstream that leaks one hands out nothing here.
 */
export async function signDownstreamToken(claims: AccessClaims, audience: string, now = new Date()): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = Math.min(iat + DOWNSTREAM_TOKEN_TTL_SECONDS, claims.exp);
  const { sub, sid, role, email, name } = claims;
  return (await signToken({ sub, sid, role, email, name }, { audience, iat, exp })).token;
}

async function signToken(
  claims: Pick<AccessClaims, "sub" | "sid" | "role" | "email" | "name">,
  { audience, iat, exp }: { audience: string; iat: number; exp: number },
): Promise<{ token: string; expiresAt: Date }> {
  const { signing } = await keyRing();
  const token = await new SignJWT({ sid: claims.sid, role: claims.role, email: claims.email, name: claims.name })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, typ: ACCESS_TOKEN_TYPE, kid: signing.kid })
    .setIssuer(appOrigin())
    .setAudience(audience)
    .setSubject(claims.sub)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(crypto.randomUUID())
    .sign(signing.key);
  return { token, expiresAt: new Date(exp * 1000) };
}

/**
 * What the middleware and the data access layer call on every request: the
 * full check below the first time this process sees a token, its remembered
 * verdict after that, with expiry checked again (lib/auth/edge/verified-tokens.ts).
 */
export async function verifyAccessToken(token: string | undefined | null): Promise<VerifyResult> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "invalid" };
  const issuer = appOrigin();
  const recalled = recallVerifiedToken(token, {
    nowSeconds: Math.floor(Date.now() / 1000),
    toleranceSeconds: env().JWT_CLOCK_TOLERANCE_SECONDS,
    issuer,
  });
  if (recalled) return recalled;
  const result = await checkAccessToken(token);
  if (result.ok) rememberVerifiedToken(token, result.claims, issuer);
  return result;
}

/**
 * RFC 8725 / RFC 9068 verification: one pinned algorithm, issuer, exact audience
 * (Doorman's own: never a token minted for a downstream API),
 * `typ: at+jwt`, and a key chosen only by a configured `kid`. jose never follows
 * `jku`, `x5u`, `jwk` or `x5c` when it is handed a key-lookup function.
 * Exported for the benchmark, which measures this full check on its own.
 */
export async function checkAccessToken(token: string): Promise<VerifyResult> {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "invalid" };
  const { verifying } = await keyRing();
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        const key = typeof header.kid === "string" ? verifying.get(header.kid) : undefined;
        if (!key) throw new Error("unknown kid");
        return key;
      },
      {
        algorithms: [ACCESS_TOKEN_ALG],
        issuer: appOrigin(),
        audience: ACCESS_TOKEN_AUDIENCE,
        typ: ACCESS_TOKEN_TYPE,
        clockTolerance: env().JWT_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["sub", "sid", "iat", "exp", "jti"],
      },
    );
    const claims = toClaims(payload);
    return claims ? { ok: true, claims } : { ok: false, reason: "invalid" };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: "expired" };
    return { ok: false, reason: "invalid" };
  }
}

function toClaims(payload: JWTPayload): AccessClaims | null {
  const { aud, sub, sid, role, email, name, iat, exp, jti } = payload;
  // jose accepts an `aud` array that merely includes ours; Doorman's tokens carry exactly one audience, itself.
  if (aud !== ACCESS_TOKEN_AUDIENCE) return null;
  if (typeof sub !== "string" || typeof sid !== "string" || typeof jti !== "string") return null;
  if (role !== "user" && role !== "admin") return null;
  if (typeof email !== "string" || typeof name !== "string") return null;
  if (typeof iat !== "number" || typeof exp !== "number") return null;
  return { sub, sid, role, email, name, iat, exp, jti };
}
