import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

// iron's seal (Fe26.2) exactly as iron-session writes and reads it for a
// string password: AES-256-CBC, then HMAC-SHA-256 over the result, each under
// a key derived from the password and a fresh 256-bit salt (PBKDF2-SHA-1, one
// iteration), and iron-session's "~2" suffix. Either side unseals the other's.
// iron-session runs these steps on WebCrypto as six asynchronous jobs per seal,
// about 0.3 ms of CPU to unseal and 0.6 ms to seal; node:crypto's synchronous
// primitives do the same steps in a few microseconds (docs/decisions/0022).

const PREFIX = "Fe26.2";
/** iron-session's id for a single string password. */
const PASSWORD_ID = "1";
const VERSION_SUFFIX = "~2";
const SALT_BYTES = 32;
const IV_BYTES = 16;
/** iron's allowance for clocks that disagree, on expiry. */
const SKEW_MS = 60_000;

function deriveKey(password: string, salt: string): Buffer {
  return pbkdf2Sync(password, salt, 1, 32, "sha1");
}

function mac(password: string, salt: string, text: string): string {
  return createHmac("sha256", deriveKey(password, salt)).update(text, "utf8").digest("base64url");
}

/** `data` as JSON, encrypted and authenticated under `password`, expiring `ttlSeconds` from `nowMs`. */
export function sealIron(data: unknown, password: string, ttlSeconds: number, nowMs = Date.now()): string {
  const encryptionSalt = randomBytes(SALT_BYTES).toString("hex");
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-cbc", deriveKey(password, encryptionSalt), iv);
  const encrypted = Buffer.concat([cipher.update(JSON.stringify(data), "utf8"), cipher.final()]);
  const expiry = nowMs + ttlSeconds * 1000;
  const sealed = `${PREFIX}*${PASSWORD_ID}*${encryptionSalt}*${iv.toString("base64url")}*${encrypted.toString("base64url")}*${expiry}`;
  const macSalt = randomBytes(SALT_BYTES).toString("hex");
  return `${sealed}*${macSalt}*${mac(password, macSalt, sealed)}${VERSION_SUFFIX}`;
}

/**
 * What sealIron sealed under `password`, if it has not expired; undefined for
 * anything else (tampered, foreign, expired, malformed). The MAC is checked,
 * in constant time, before anything is decrypted.
 */
export function unsealIron(sealed: string, password: string, nowMs = Date.now()): unknown {
  if (!sealed.endsWith(VERSION_SUFFIX)) return undefined;
  const parts = sealed.slice(0, -VERSION_SUFFIX.length).split("*");
  if (parts.length !== 8) return undefined;
  const [prefix, passwordId, encryptionSalt = "", iv = "", encrypted = "", expiry = "", macSalt = "", givenMac = ""] = parts;
  if (prefix !== PREFIX || passwordId !== PASSWORD_ID) return undefined;
  if (!/^\d{1,16}$/.test(expiry) || Number(expiry) <= nowMs - SKEW_MS) return undefined;
  if (!sameText(mac(password, macSalt, parts.slice(0, 6).join("*")), givenMac)) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-cbc", deriveKey(password, encryptionSalt), Buffer.from(iv, "base64url"));
    const plain = Buffer.concat([decipher.update(Buffer.from(encrypted, "base64url")), decipher.final()]);
    return JSON.parse(plain.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
