import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// RFC 6238 time-based one-time passwords, written here on node:crypto rather
// than taken from a package: HOTP (RFC 4226 §5.3) is twenty lines, and the
// RFC's own test vectors pin it (totp.test.ts).

export type TotpAlgorithm = "sha1" | "sha256" | "sha512";
export type TotpOptions = { digits?: number; algorithm?: TotpAlgorithm; stepSeconds?: number };

/** What every authenticator app assumes when the otpauth URI says nothing else. */
const DEFAULTS = { digits: 6, algorithm: "sha1", stepSeconds: 30 } as const;
/** RFC 4226 §4 asks for at least 128 bits and recommends 160: the length of an HMAC-SHA-1 key. */
const SECRET_BYTES = 20;
const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function generateTotpSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

/** The RFC 6238 time step a moment falls in. */
export function timeStep(now: Date, stepSeconds: number = DEFAULTS.stepSeconds): number {
  return Math.floor(now.getTime() / 1000 / stepSeconds);
}

/** RFC 4226 §5.3: HMAC of the 8-byte big-endian counter, dynamic truncation, the last `digits` decimal digits. */
export function hotp(secret: Buffer, counter: number, options: Pick<TotpOptions, "digits" | "algorithm"> = {}): string {
  const digits = options.digits ?? DEFAULTS.digits;
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(options.algorithm ?? DEFAULTS.algorithm, secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The code an authenticator shows at `now`. */
export function totpCode(secret: Buffer, now: Date, options: TotpOptions = {}): string {
  return hotp(secret, timeStep(now, options.stepSeconds), options);
}

/**
 * The step among `steps` whose code `code` is, or null. Every candidate is
 * compared, in constant time, so the answer's timing says nothing about which.
 */
export function matchTotpStep(secret: Buffer, code: string, steps: readonly number[], options: TotpOptions = {}): number | null {
  const given = Buffer.from(code);
  let matched: number | null = null;
  for (const step of steps) {
    const expected = Buffer.from(hotp(secret, step, options));
    if (expected.length === given.length && timingSafeEqual(expected, given) && matched === null) matched = step;
  }
  return matched;
}

/** RFC 4648 §6, without padding (as otpauth URIs carry it). */
export function encodeBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** The bytes of an RFC 4648 base32 string, case-insensitive, padding optional; null for anything else. */
export function decodeBase32(text: string): Buffer | null {
  const clean = text.toUpperCase().replace(/=+$/, "");
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32_ALPHABET.indexOf(char);
    if (index < 0) return null;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/**
 * The otpauth:// URI an authenticator app reads from the QR code (Google
 * Authenticator's Key Uri Format): the issuer both as the label's prefix and
 * as a parameter, the label the account's address.
 */
export function otpauthUri(input: { secret: Buffer; issuer: string; accountName: string }): string {
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.accountName)}`;
  const params = new URLSearchParams({
    secret: encodeBase32(input.secret),
    issuer: input.issuer,
    algorithm: "SHA1",
    digits: String(DEFAULTS.digits),
    period: String(DEFAULTS.stepSeconds),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}
