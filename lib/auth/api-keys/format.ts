import { createHash, randomBytes } from "node:crypto";

// The shape of an API key, as GitHub's tokens are shaped
// (github.blog, "Behind GitHub's new authentication token formats"):
//
//   dmn_ <43 base62 characters: 256 random bits> <6 base62 characters: CRC32 of those 43>
//
// The `dmn_` prefix lets secret scanners and people recognise a leaked key,
// the checksum lets a mistyped or made-up one be refused before any database
// lookup, and base62 keeps it one "word" for double-click selection.

const API_KEY_PREFIX = "dmn_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** 62^43 > 2^256: at least 256 bits of randomness. */
export const RANDOM_LENGTH = 43;
/** 62^6 > 2^32: any CRC32 fits, padded to a fixed width. */
export const CHECKSUM_LENGTH = 6;
/** How much of the random part is shown in lists (about 36 of its 256 bits). */
const DISPLAYED_RANDOM_LENGTH = 6;

/** For secret scanners (published in the README). */
export const API_KEY_PATTERN = /\bdmn_[0-9A-Za-z]{49}\b/;
const EXACT = /^dmn_([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;

/** Uniform base62 by rejection: 248 = 4 × 62, so bytes below it map evenly. */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, as zlib's) of an ASCII string. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function toBase62(value: number, width: number): string {
  let out = "";
  for (let rest = value; rest > 0; rest = Math.floor(rest / 62)) out = ALPHABET[rest % 62] + out;
  return out.padStart(width, "0");
}

export function checksumOf(random: string): string {
  return toBase62(crc32(random), CHECKSUM_LENGTH);
}

export function generateApiKey(): string {
  const random = randomBase62(RANDOM_LENGTH);
  return `${API_KEY_PREFIX}${random}${checksumOf(random)}`;
}

/** Whether `text` is shaped like a key and its checksum matches: no database needed. */
export function isWellFormedApiKey(text: string): boolean {
  const match = EXACT.exec(text);
  return match !== null && checksumOf(match[1]!) === match[2];
}

/** Whether an Authorization value's credential is meant as an API key (well formed or not). */
export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith(API_KEY_PREFIX);
}

/** The non-secret part shown in lists: `dmn_` and the first characters of the random part. */
export function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + DISPLAYED_RANDOM_LENGTH);
}

/**
 * SHA-256, unsalted and fast, is the right hash here: the key carries 256
 * random bits, so there is nothing to guess and nothing for a slow hash or a
 * salt to protect (they exist for low-entropy passwords); a fast, deterministic
 * hash is what makes the lookup one indexed equality.
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}
