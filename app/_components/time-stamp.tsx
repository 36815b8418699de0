import { formatUtc, relativeTime } from "@/lib/format/time";

/** An absolute UTC time a machine can read too, followed by how long ago (or until) it is. */
export function TimeStamp({ date }: { date: Date }) {
  return (
    <>
      <time dateTime={date.toISOString()}>{formatUtc(date)}</time> <span className="text-zinc-500">({relativeTime(date)})</span>
    </>
  );
}
