import { describe, expect, it } from "vitest";
import { formatUtc, relativeTime } from "@/lib/format/time";

const now = new Date("2026-11-27T16:52:30Z");
const at = (secondsFromNow: number) => new Date(now.getTime() + secondsFromNow * 1000);

describe("relativeTime", () => {
  it.each([
    [0, "now"],
    [0.4, "now"],
    [-12, "12 seconds ago"],
    [-180, "3 minutes ago"],
    [14 * 60, "in 14 minutes"],
    [-2 * 3_600, "2 hours ago"],
    [-86_400, "yesterday"],
    [-3 * 86_400, "3 days ago"],
    [-14 * 86_400, "2 weeks ago"],
  ])("%s seconds from now is %j", (seconds, text) => {
    expect(relativeTime(at(seconds), now)).toBe(text);
  });
});

describe("formatUtc", () => {
  it("spells out the time zone", () => {
    expect(formatUtc(now)).toBe("27 Nov 2026, 16:52 UTC");
  });
});
