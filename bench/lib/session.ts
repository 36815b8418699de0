import { SignJWT, importJWK, type JWK } from "jose";
import { BENCH_USER, type Secrets } from "./instances";
import { send, type Cookies } from "./http";

// Bench instances serve plain http on 127.0.0.1, so the cookies carry no
// __Host- prefix (lib/auth/edge/cookies.ts).
export const ACCESS_COOKIE = "doorman.at";
export const REFRESH_COOKIE = "doorman.rt";

export type Account = { email: string; password: string };

/** Signs in through the API, as a browser's fetch would; the two session cookies. `ip`: the client address (a fresh one if unset). */
export async function logIn(origin: string, account: Account = BENCH_USER, ip?: string): Promise<Cookies> {
  const reply = await send(origin, "/api/auth/login", {
    method: "POST",
    ip,
    json: { email: account.email, password: account.password },
  });
  const access = reply.setCookies[ACCESS_COOKIE];
  const refresh = reply.setCookies[REFRESH_COOKIE];
  if (reply.status !== 200 || !access || !refresh) {
    throw new Error(`login at ${origin} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
  }
  return { [ACCESS_COOKIE]: access, [REFRESH_COOKIE]: refresh };
}

/** A new API key (`me:read`) of the signed-in user these cookies belong to (docs/decisions/0035). */
export async function createApiKey(origin: string, cookies: Cookies): Promise<string> {
  const reply = await send(origin, "/api/auth/api-keys", { method: "POST", cookies, json: { name: "bench", scopes: ["me:read"], expiresInDays: 30 } });
  if (reply.status !== 201) throw new Error(`creating an API key at ${origin} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
  return (JSON.parse(reply.body) as { key: string }).key;
}

/**
 * `count` accounts of their own, signed up through the API one after the
 * other, for an instance that signs in without a confirmed email
 * (REQUIRE_EMAIL_VERIFICATION=false).
 */
export async function signUpMany(origin: string, count: number, prefix: string): Promise<Account[]> {
  const accounts: Account[] = [];
  for (let i = 0; i < count; i++) {
    const account = { email: `${prefix}-${i}@doorman.test`, password: BENCH_USER.password };
    const reply = await send(origin, "/api/auth/signup", { method: "POST", json: { ...account, name: `${prefix} ${i}` } });
    if (reply.status !== 202) throw new Error(`signup at ${origin} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
    accounts.push(account);
  }
  return accounts;
}

/**
 * `count` sessions, a few logins at a time: setting up is not the login
 * storm (section 5), and must not be slowed by one.
 */
export async function logInMany(origin: string, count: number, parallel = 4): Promise<Cookies[]> {
  const sessions: Cookies[] = [];
  while (sessions.length < count) {
    const batch = Math.min(parallel, count - sessions.length);
    sessions.push(...(await Promise.all(Array.from({ length: batch }, () => logIn(origin)))));
  }
  return sessions;
}

/**
 * The same access token, re-signed with the instance's key as if it had been
 * issued long ago: what a browser holds after a while away.
 */
export async function expiredCopy(accessToken: string, secrets: Secrets): Promise<string> {
  const [header, payload] = accessToken
    .split(".")
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"))) as [Record<string, string>, Record<string, unknown>];
  const [jwk] = JSON.parse(secrets.JWT_SIGNING_KEYS) as JWK[];
  const key = await importJWK(jwk!, "ES256");
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...payload, iat: now - 3600, exp: now - 600 })
    .setProtectedHeader({ alg: "ES256", typ: header.typ!, kid: header.kid! })
    .sign(key);
}
