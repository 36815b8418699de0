import { isIP } from "node:net";

/**
 * The part of a client address a rate limit counts by. IPv4: the address.
 * IPv6: its /64, because one subscriber usually gets a whole /64 and can
 * rotate through it for free. IPv4-mapped IPv6 counts as the IPv4 address.
 * No address at all (never under `next start`) shares one "unknown" bucket.
 */
export function ipBucket(ip: string | null): string {
  if (!ip) return "unknown";
  const address = ip.trim().replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) === 4) return address;
  if (isIP(address) === 6) return `${expandIpv6(address).slice(0, 4).join(":")}::/64`;
  return "unknown";
}

/** Eight 16-bit groups, without leading zeros, lower case. */
function expandIpv6(address: string): string[] {
  const [head, tail] = address.toLowerCase().split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail (::1.2.3.4) takes two groups; only the first four matter here.
  const missing = 8 - left.length - right.length;
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, missing)).fill("0"), ...right];
  return groups.map((group) => (/^[0-9a-f]{1,4}$/.test(group) ? Number.parseInt(group, 16).toString(16) : group));
}
