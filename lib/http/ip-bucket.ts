import { parseIp } from "@/lib/http/ip-address";

/**
 * The part of a client address a rate limit counts by. IPv4: the address.
 * IPv6: its /64, because one subscriber usually gets a whole /64 and can
 * rotate through it for free. IPv4-mapped IPv6 counts as the IPv4 address.
 * No address at all (no proof that server.mjs wrote it, and no trusted proxy:
 * docs/decisions/0008-client-ip.md) shares one "unknown" bucket.
 */
export function ipBucket(ip: string | null): string {
  const address = ip === null ? null : parseIp(ip.trim());
  if (!address) return "unknown";
  if (address.version === 4) return address.text;
  return `${address.groups.slice(0, 4).map((group) => group.toString(16)).join(":")}::/64`;
}
