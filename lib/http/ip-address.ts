// Edge-safe (the middleware reads the client IP too, and node:net is not
// there). Every address that reaches a rate-limit bucket or a session row
// passes through here, so a header that holds anything else counts as no
// address at all (docs/decisions/0008-client-ip.md).

export type IpAddress = { version: 4; text: string } | { version: 6; text: string; groups: number[] };

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const GROUP = /^[0-9a-f]{1,4}$/i;
/** What node:net accepts after `%` in a scoped (link-local) IPv6 address. */
const ZONE = /%[0-9a-z.:-]+$/i;

/**
 * The address in `text`, written as RFC 4291 §2.2 and RFC 791 allow (no
 * octal or hex IPv4 spellings, which resolvers read differently), or null.
 * An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is its IPv4 address.
 */
export function parseIp(text: string): IpAddress | null {
  if (IPV4.test(text)) return { version: 4, text };
  const unscoped = text.replace(ZONE, "");
  const groups = parseIpv6Groups(unscoped);
  if (!groups) return null;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high, low] = [groups[6]!, groups[7]!];
    return { version: 4, text: [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".") };
  }
  return { version: 6, text: unscoped.toLowerCase(), groups };
}

/**
 * One X-Forwarded-For hop. Besides a bare address, some proxies (Azure's,
 * RFC 7239's node syntax) write `192.0.2.1:1234` or `[2001:db8::1]:1234`.
 */
export function parseForwardedHop(hop: string): IpAddress | null {
  const text = hop.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) return parseIp(bracketed[1]!);
  const withPort = /^([\d.]+):\d{1,5}$/.exec(text);
  return parseIp(withPort ? withPort[1]! : text);
}

/** Eight 16-bit groups, or null. `::` stands for one or more zero groups, an IPv4 tail for two. */
function parseIpv6Groups(text: string): number[] | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parts = halves.map((half) => (half === "" ? [] : half.split(":")));
  const last = parts.at(-1)!;
  const tail = last.length > 0 && IPV4.test(last.at(-1)!) ? last.pop()!.split(".").map(Number) : null;
  if (tail) last.push(((tail[0]! << 8) | tail[1]!).toString(16), ((tail[2]! << 8) | tail[3]!).toString(16));
  if (!parts.every((part) => part.every((group) => GROUP.test(group)))) return null;
  const [head, rest] = parts as [string[], string[] | undefined];
  if (rest === undefined) return head.length === 8 ? head.map((group) => Number.parseInt(group, 16)) : null;
  const missing = 8 - head.length - rest.length;
  if (missing < 1) return null;
  return [...head, ...Array<string>(missing).fill("0"), ...rest].map((group) => Number.parseInt(group, 16));
}
