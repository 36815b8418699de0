import { env } from "@/lib/env";
import { FORWARDED_IP_HEADER, FORWARDED_IP_SIGNATURE_HEADER, verifyClientIp } from "@/lib/http/forwarded-client";
import { parseForwardedHop, parseIp } from "@/lib/http/ip-address";
import { VERCEL_CLIENT_IP_HEADER, isVercelDeployment } from "@/lib/vercel";

export type ClientMeta = { ip: string | null; userAgent: string | null };

/**
 * Set by server.mjs (`npm start`) to the TCP peer's address, overwriting
 * whatever the client sent, next to PEER_PROOF_HEADER: without that proof it
 * is a header like any other (docs/decisions/0008-client-ip.md).
 */
export const PEER_IP_HEADER = "x-doorman-peer-ip";
/** server.mjs's per-process secret (DOORMAN_PEER_PROOF), also overwritten on every request. */
export const PEER_PROOF_HEADER = "x-doorman-peer-proof";

/**
 * Who is asking: the IP as our own middleware vouched for it, or else the
 * address the request itself carries (see requestIp).
 */
export async function clientMeta(headers: Headers): Promise<ClientMeta> {
  const userAgent = headers.get("user-agent")?.slice(0, 400) ?? null;
  const vouched = headers.get(FORWARDED_IP_HEADER);
  const signature = headers.get(FORWARDED_IP_SIGNATURE_HEADER);
  if (vouched && signature && (await verifyClientIp(vouched, signature))) return { ip: vouched, userAgent };
  return { ip: requestIp(headers), userAgent };
}

/**
 * Edge-safe: also used by the middleware to learn the IP it vouches for.
 * On a Vercel deployment, the address Vercel's proxy wrote (lib/vercel.ts):
 * no request reaches the app around it, and server.mjs does not run there.
 * Behind TRUST_PROXY proxies, each appends the address it saw to
 * X-Forwarded-For, so the client is the hop that many places from the right;
 * everything left of it is what the client claimed. Otherwise, and whenever
 * that hop is missing or not an address, the TCP peer server.mjs proved. No
 * proof and no usable hop: null, which the rate limits count as one shared
 * "unknown" address, never as an address the client chose.
 */
export function requestIp(headers: Headers): string | null {
  if (isVercelDeployment(env())) return parseIp(headers.get(VERCEL_CLIENT_IP_HEADER)?.trim() ?? "")?.text ?? null;
  const hops = env().TRUST_PROXY;
  const forwarded = hops > 0 ? headers.get("x-forwarded-for")?.split(",") : undefined;
  const hop = forwarded && forwarded.length >= hops ? parseForwardedHop(forwarded.at(-hops)!) : null;
  return hop?.text ?? provenPeerIp(headers);
}

function provenPeerIp(headers: Headers): string | null {
  const secret = env().DOORMAN_PEER_PROOF;
  const proof = headers.get(PEER_PROOF_HEADER);
  if (!secret || !proof || !equalInConstantTime(proof, secret)) return null;
  return parseIp(headers.get(PEER_IP_HEADER)?.trim() ?? "")?.text ?? null;
}

/** No early exit on the first differing character, so timing does not reveal the secret bit by bit. */
function equalInConstantTime(given: string, secret: string): boolean {
  if (given.length !== secret.length) return false;
  let difference = 0;
  for (let i = 0; i < secret.length; i++) difference |= given.charCodeAt(i) ^ secret.charCodeAt(i);
  return difference === 0;
}
