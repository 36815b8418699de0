import { authSecret } from "@/lib/env";

// Edge-safe. When the middleware refreshes on a browser's behalf, the refresh
// route sees the server itself as its client. The middleware passes the
// browser's IP along with an HMAC of it, so the route can tell a vouched-for
// value from one any client could put in a header; and the request's id
// (lib/http/request-id.ts) the same way, so the refresh logs under it.

export const FORWARDED_IP_HEADER = "x-doorman-client-ip";
export const FORWARDED_IP_SIGNATURE_HEADER = "x-doorman-client-ip-sig";
/** Beside X-Request-Id on the middleware's refresh call. */
export const FORWARDED_REQUEST_ID_SIGNATURE_HEADER = "x-doorman-request-id-sig";
/** No IP starts with it: a signature for one kind of value never passes for the other. */
const REQUEST_ID_PREFIX = "request-id:";

let keyPromise: Promise<CryptoKey> | undefined;

function hmacKey(): Promise<CryptoKey> {
  keyPromise ??= crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`doorman/forwarded-ip/v1/${authSecret()}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
  return keyPromise;
}

export function signClientIp(ip: string): Promise<string> {
  return sign(ip);
}

export function verifyClientIp(ip: string, signatureHex: string): Promise<boolean> {
  return verify(ip, signatureHex);
}

export function signRequestId(id: string): Promise<string> {
  return sign(`${REQUEST_ID_PREFIX}${id}`);
}

export function verifyRequestId(id: string, signatureHex: string): Promise<boolean> {
  return verify(`${REQUEST_ID_PREFIX}${id}`, signatureHex);
}

async function sign(message: string): Promise<string> {
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(), new TextEncoder().encode(message));
  return toHex(new Uint8Array(signature));
}

async function verify(message: string, signatureHex: string): Promise<boolean> {
  const signature = fromHex(signatureHex);
  if (!signature) return false;
  return crypto.subtle.verify("HMAC", await hmacKey(), signature, new TextEncoder().encode(message));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[0-9a-f]{64}$/.test(hex)) return null;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
