// A separate service that trusts Doorman's access tokens without calling
// Doorman per request: it fetches the public keys from the JWKS once (jose
// caches them and refetches when it meets a new `kid`, so key rotation needs
// nothing here) and verifies every Bearer token locally.
// Only standard claims and jose: copy it into any Node service. Run it with
// examples/resource-server/main.ts.

import { createServer, type Server } from "node:http";
import { createRemoteJWKSet, errors, jwtVerify } from "jose";

/** clockToleranceSeconds: slack for clocks that disagree a little; keep it small (at most 30). */
export function createResourceServer(doormanUrl: string, { clockToleranceSeconds = 5 } = {}): Server {
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
        audience: "doorman",
        typ: "at+jwt",
        algorithms: ["ES256"], // one algorithm, never what the token asks for
        requiredClaims: ["sub", "sid", "iat", "exp", "jti"],
        clockTolerance: clockToleranceSeconds,
      });
      // The token proves who is asking, until it expires (15 minutes by default).
      // A service that must see a sign-out at once asks Doorman (GET /api/me) instead.
      return send(200, { userId: payload.sub, role: payload.role, sessionId: payload.sid });
    } catch (error) {
      const code = error instanceof errors.JWTExpired ? "token_expired" : "invalid_token";
      return send(401, { error: { code, message: "The access token is not valid." } });
    }
  });
}
