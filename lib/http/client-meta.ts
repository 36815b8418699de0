import { FORWARDED_IP_HEADER, FORWARDED_IP_SIGNATURE_HEADER, verifyClientIp } from "@/lib/http/forwarded-client";

export type ClientMeta = { ip: string | null; userAgent: string | null };

/**
 * Who is asking: the IP as our own middleware vouched for it, or else the
 * socket-side hop of X-Forwarded-For (Next's server fills it in from the
 * socket when no proxy did).
 */
export async function clientMeta(headers: Headers): Promise<ClientMeta> {
  const userAgent = headers.get("user-agent")?.slice(0, 400) ?? null;
  const vouched = headers.get(FORWARDED_IP_HEADER);
  const signature = headers.get(FORWARDED_IP_SIGNATURE_HEADER);
  if (vouched && signature && (await verifyClientIp(vouched, signature))) return { ip: vouched, userAgent };
  return { ip: socketSideIp(headers), userAgent };
}

/** Edge-safe: also used by the middleware to learn the IP it vouches for. */
export function socketSideIp(headers: Headers): string | null {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  if (hops.length === 0) return null;
  // The right-most hop is the one written closest to us, so the hardest to forge.
  return hops.at(-1)!.replace(/^::ffff:/, "").slice(0, 64);
}
