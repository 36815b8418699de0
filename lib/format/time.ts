// Times as pages show them. Pages are rendered on the server, which cannot
// know the reader's time zone: absolute times are UTC and say so.

const utcFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const relativeFormat = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** Largest unit first; anything under a minute is counted in seconds. */
const UNITS: [unit: Intl.RelativeTimeFormatUnit, seconds: number][] = [
  ["year", 365 * 86_400],
  ["month", 30 * 86_400],
  ["week", 7 * 86_400],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
];

/** "27 Nov 2026, 16:52 UTC" */
export function formatUtc(date: Date): string {
  return `${utcFormat.format(date)} UTC`;
}

/** "3 minutes ago", "in 14 minutes", "now". */
export function relativeTime(date: Date, now = new Date()): string {
  const seconds = (date.getTime() - now.getTime()) / 1000;
  const [unit, size] = UNITS.find(([, size]) => Math.abs(seconds) >= size) ?? ["second", 1];
  return relativeFormat.format(Math.round(seconds / size), unit);
}
