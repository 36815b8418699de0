import { env } from "@/lib/env";
import { FORWARDED_IP_HEADER, FORWARDED_IP_SIGNATURE_HEADER, verifyClientIp } from "@/lib/http/forwarded-client";

export type ClientMeta = { ip: string | null; userAgent: string | null };

/**
 * Set by server.mjs (`npm start`) to the TCP peer's address, overwriting
 * whatever the client sent (docs/decisions/0008-client-ip.md).
 */
export const PEER_IP_HEADER = "x-doorman-peer-ip";

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
 * X-Forwarded-For is read only behind a proxy (TRUST_PROXY), and then only its
 * right-most hop, the one our proxy appended: every hop left of it is what the
 * client claimed. Without a proxy a client-sent X-Forwarded-For is ignored
 * (Next keeps it as is), and the peer address server.mjs wrote decides; so it
 * does behind a proxy for a request that carries no X-Forwarded-For.
 */
export function requestIp(headers: Headers): string | null {
  const proxied = env().TRUST_PROXY ? headers.get("x-forwarded-for")?.split(",").at(-1)?.trim() : undefined;
  // Behind a proxy a request without X-Forwarded-For did not come through it: the socket peer is all we know.
  const ip = proxied || headers.get(PEER_IP_HEADER)?.trim();
  return ip ? ip.replace(/^::ffff:/, "").slice(0, 64) : null;
}
