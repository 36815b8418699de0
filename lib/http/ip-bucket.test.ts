import { describe, expect, it } from "vitest";
import { ipBucket } from "@/lib/http/ip-bucket";

describe("ipBucket", () => {
  it("keeps an IPv4 address whole", () => {
    expect(ipBucket("203.0.113.7")).toBe("203.0.113.7");
    expect(ipBucket("203.0.113.8")).not.toBe(ipBucket("203.0.113.7"));
  });

  it("counts IPv4-mapped IPv6 as the IPv4 address", () => {
    expect(ipBucket("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("groups IPv6 by /64 whatever the spelling", () => {
    const bucket = ipBucket("2001:db8:1:2::1");
    expect(bucket).toBe("2001:db8:1:2::/64");
    expect(ipBucket("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe(bucket);
    expect(ipBucket("2001:DB8:1:2:a:b:c:d")).toBe(bucket);
    expect(ipBucket("2001:db8:1:3::1")).not.toBe(bucket);
    expect(ipBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(ipBucket("::1")).toBe("0:0:0:0::/64");
  });

  it("puts missing and unreadable addresses in one bucket", () => {
    expect(ipBucket(null)).toBe("unknown");
    expect(ipBucket("not-an-ip")).toBe("unknown");
    expect(ipBucket("1.2.3.4, 5.6.7.8")).toBe("unknown");
    expect(ipBucket("[2001:db8::1]")).toBe("unknown");
  });
});
