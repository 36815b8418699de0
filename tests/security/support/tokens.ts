import { randomUUID } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import { SignJWT, decodeJwt, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK, type JWTPayload } from "jose";
import { APP_URL } from "../../e2e/support/servers";

// Tokens as an attacker (or a test that needs a precise one) makes them. The
// app's own signing key reaches the workers through process.env
// (playwright.config.ts), so a test can make a token that is validly signed and
// wrong in exactly one claim: whatever refuses it then refused that claim.

/** What lib/auth/edge/jwt.ts pins. */
export const ISSUER = APP_URL;
export const AUDIENCE = "doorman";
export const TYPE = "at+jwt";

/** The production lifetime: long enough that a test never races the e2e server's 4-second tokens. */
const LIFETIME_SECONDS = 15 * 60;

export type Header = Record<string, unknown>;
export type Claims = Record<string, unknown>;

export function serverSigningJwk(): JWK & { kid: string } {
  const keys = JSON.parse(process.env.DOORMAN_E2E_JWT_SIGNING_KEYS ?? "[]") as (JWK & { kid: string })[];
  if (!keys[0]) throw new Error("DOORMAN_E2E_JWT_SIGNING_KEYS is not set: run through playwright.config.ts");
  return keys[0];
}

/** The server's public key as the JWKS publishes it. */
export function serverPublicJwk(): JWK {
  const { d: _private, ...publicJwk } = serverSigningJwk();
  return publicJwk;
}

let serverKey: Promise<CryptoKey> | undefined;
function serverPrivateKey(): Promise<CryptoKey> {
  serverKey ??= importJWK(serverSigningJwk(), "ES256") as Promise<CryptoKey>;
  return serverKey;
}

/** A P-256 key pair the attacker controls, with its public JWK. */
export async function attackerKey(): Promise<{ privateKey: CryptoKey; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  return { privateKey, publicJwk: await exportJWK(publicKey) };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Every claim the app issues, for this user and session, valid for 15 minutes. */
export function accessClaims(user: { userId: string; sessionId: string; email: string; name: string }): Claims {
  const iat = nowSeconds();
  return {
    sid: user.sessionId,
    role: "user",
    email: user.email,
    name: user.name,
    iss: ISSUER,
    aud: AUDIENCE,
    sub: user.userId,
    iat,
    exp: iat + LIFETIME_SECONDS,
    jti: randomUUID(),
  };
}

export function defaultHeader(): Header {
  return { alg: "ES256", typ: TYPE, kid: serverSigningJwk().kid };
}

/** Signs exactly these claims under exactly this header (ES256 unless the header says otherwise and a key fits). */
export async function sign(claims: Claims, header: Header = defaultHeader(), key?: CryptoKey | Uint8Array): Promise<string> {
  return new SignJWT(claims as JWTPayload)
    .setProtectedHeader(header as { alg: string })
    .sign(key ?? (await serverPrivateKey()));
}

/** The server's own token, signed again with the production lifetime (same sub, sid, role). */
export async function extend(token: string): Promise<string> {
  const claims = decodeJwt(token);
  return sign({ ...claims, exp: nowSeconds() + LIFETIME_SECONDS });
}

export const base64url = (value: string | Uint8Array) => Buffer.from(value).toString("base64url");

/** header.payload.signature from raw parts, for tokens no library would make. */
export function compact(header: Header, claims: Claims, signature = ""): string {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}.${signature}`;
}

/** The token with one character of one segment replaced by a different base64url character. */
export function flipCharacter(token: string, segment: 0 | 1 | 2, index?: number): string {
  const parts = token.split(".");
  const part = parts[segment]!;
  const at = index ?? Math.floor(part.length / 2);
  const original = part[at]!;
  parts[segment] = part.slice(0, at) + (original === "A" ? "B" : "A") + part.slice(at + 1);
  return parts.join(".");
}

/** The raw refresh token inside a sealed refresh cookie (tests hold AUTH_SECRET, as the server does). */
export async function unsealRefresh(sealed: string, secret = process.env.DOORMAN_E2E_AUTH_SECRET): Promise<string> {
  if (!secret) throw new Error("DOORMAN_E2E_AUTH_SECRET is not set: run through playwright.config.ts");
  const { rt } = await unsealData<{ rt?: string }>(sealed, { password: secret });
  if (!rt) throw new Error("not a refresh cookie sealed with this secret");
  return rt;
}

/** A raw refresh token sealed as the server seals its refresh cookie: for a token that never came in one (a native app's). */
export async function sealRefresh(raw: string, secret = process.env.DOORMAN_E2E_AUTH_SECRET): Promise<string> {
  if (!secret) throw new Error("DOORMAN_E2E_AUTH_SECRET is not set: run through playwright.config.ts");
  return sealData({ rt: raw }, { password: secret, ttl: 60 * 60 });
}
