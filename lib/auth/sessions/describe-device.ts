// A readable name for a signed-in device, from the User-Agent it signed in
// with. Only for people to recognise their own devices: a user agent is
// whatever the client says it is, so nothing is ever decided from this.

// Order matters: Edge and Opera also say "Chrome", Chrome also says
// "Safari", and only Safari is left when nothing earlier matched.
const BROWSERS: [name: string, pattern: RegExp][] = [
  ["Edge", /Edg(?:e|A|iOS)?\//],
  ["Opera", /OPR\/|Opera/],
  ["Samsung Internet", /SamsungBrowser\//],
  ["Firefox", /Firefox\/|FxiOS\//],
  ["Chrome", /Chrome\/|CriOS\//],
  ["Safari", /Version\/[\d.]+.*Safari\//],
];

// iPhones and iPads say "like Mac OS X", and Android says "Linux": the specific ones come first.
const SYSTEMS: [name: string, pattern: RegExp][] = [
  ["iPhone", /iPhone/],
  ["iPad", /iPad/],
  ["Android", /Android/],
  ["Windows", /Windows/],
  ["ChromeOS", /CrOS/],
  ["macOS", /Macintosh|Mac OS X/],
  ["Linux", /Linux/],
];

const UNKNOWN_DEVICE = "Unknown device";

/** "Chrome on macOS", "Safari on iPhone"; "Unknown device" when the user agent says neither. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return UNKNOWN_DEVICE;
  const browser = BROWSERS.find(([, pattern]) => pattern.test(userAgent))?.[0];
  const system = SYSTEMS.find(([, pattern]) => pattern.test(userAgent))?.[0];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? UNKNOWN_DEVICE;
}
