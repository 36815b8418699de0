// A separate service that trusts Doorman's tokens without calling Doorman per
// request: it fetches the public keys from the JWKS once (jose caches them and
// refetches when it meets a new `kid`, so key rotation needs nothing here) and
// verifies every Bearer token locally.
// Only standard claims and jose: copy it into any Node service. Run it with
// examples/resource-server/main.ts.

import { createServer, type Server } from "node:http";
import { createRemoteJWKSet, errors, jwtVerify } from "jose";

export type ResourceServerOptions = {
  /**
   * This service's own origin, exactly as Doorman's DOWNSTREAM_API_ORIGINS
   * lists it: Doorman mints the tokens it sends here for that audience
   * (docs/decisions/0016). A token for anyone else, Doorman's own included, is
   * refused, so a token stolen from another service is worth nothing here.
   */
  audience: string;
  /** Slack for clocks that disagree a little; keep it small (at most 30). */
  clockToleranceSeconds?: number;
};

export function createResourceServer(doormanUrl: string, { audience, clockToleranceSeconds = 5 }: ResourceServerOptions): Server {
  const issuer = new URL(doormanUrl).origin;
  const keys = createRemoteJWKSet(new URL("/.well-known/jwks.json", issuer));

  return createServer(async (request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
      response.end(JSON.stringify(body));
    };
    const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(request.headers.authorization ?? "")?.[1];
    if (!token || token.length > 4096) return send(401, { error: { code: "unauthenticated", message: "Send a Bearer token." } });
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience,
        typ: "at+jwt",
        algorithms: ["ES256"], // one algorithm, never what the token asks for
        requiredClaims: ["sub", "sid", "iat", "exp", "jti"],
        clockTolerance: clockToleranceSeconds,
      });
      // The token proves who is asking until it expires: Doorman mints one per
      // call, for a minute at most, so a sign-out reaches this service within it.
      return send(200, { userId: payload.sub, role: payload.role, sessionId: payload.sid });
    } catch (error) {
      const code = error instanceof errors.JWTExpired ? "token_expired" : "invalid_token";
      return send(401, { error: { code, message: "The access token is not valid." } });
    }
  });
}
