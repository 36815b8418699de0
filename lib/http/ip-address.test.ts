import { isIP } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseForwardedHop, parseIp } from "@/lib/http/ip-address";

// The parser replaces node:net's isIP in edge code: it must accept exactly what isIP accepts.
const addressLike = fc.oneof(
  fc.ipV4(),
  fc.ipV4Extended(),
  fc.ipV6(),
  fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF:.%"), maxLength: 45 }),
  fc.tuple(fc.ipV6(), fc.stringMatching(/^%[a-z0-9]{1,8}$/)).map(([address, zone]) => address + zone),
);

describe("parseIp", () => {
  it("accepts exactly the addresses node:net accepts", () => {
    fc.assert(
      fc.property(addressLike, (text) => {
        expect(parseIp(text) !== null, text).toBe(isIP(text) !== 0);
      }),
      { numRuns: 5000 },
    );
  });

  it("reads IPv4-mapped IPv6 as IPv4, and drops an IPv6 zone", () => {
    expect(parseIp("::ffff:203.0.113.7")).toEqual({ version: 4, text: "203.0.113.7" });
    expect(parseIp("::FFFF:cb00:7107")).toEqual({ version: 4, text: "203.0.113.7" });
    expect(parseIp("fe80::1%eth0")?.text).toBe("fe80::1");
    expect(parseIp("2001:DB8::1")).toEqual({ version: 6, text: "2001:db8::1", groups: [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1] });
  });

  it("refuses what a client might put in a header instead", () => {
    for (const text of ["", "unknown", "203.0.113.7 ", "203.0.113.07", "0x7f.1", "1.2.3.4, 5.6.7.8", "::1::", "[::1]", "a".repeat(100)]) {
      expect(parseIp(text), JSON.stringify(text)).toBeNull();
    }
  });
});

describe("parseForwardedHop", () => {
  it("takes a hop with spaces around it, a port, or brackets", () => {
    expect(parseForwardedHop(" 203.0.113.7")?.text).toBe("203.0.113.7");
    expect(parseForwardedHop("203.0.113.7:8443")?.text).toBe("203.0.113.7");
    expect(parseForwardedHop("[2001:db8::1]:443")?.text).toBe("2001:db8::1");
    expect(parseForwardedHop("[2001:db8::1]")?.text).toBe("2001:db8::1");
  });

  it("refuses anything else", () => {
    for (const hop of ["", "unknown", "_hidden", "203.0.113.7:", "[203.0.113.7", "2001:db8::1:443x", "evil.example"]) {
      expect(parseForwardedHop(hop), JSON.stringify(hop)).toBeNull();
    }
  });
});
