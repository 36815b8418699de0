import { TimeStamp } from "@/app/_components/time-stamp";
import { describeDevice } from "@/lib/auth/sessions/describe-device";
import type { SecurityActivity } from "@/lib/auth/events/security-activity";

/** Security events as sentences, in the order given (newest first), each with when, from what device and where. */
export function SecurityActivityList({ events, label }: { events: SecurityActivity[]; label: string }) {
  if (events.length === 0) return <p className="px-5 py-4 text-sm text-zinc-500">Nothing recorded yet.</p>;
  return (
    <ol aria-label={label} className="divide-y divide-zinc-100">
      {events.map((event) => (
        <li key={event.id} className="px-5 py-3 text-sm">
          <p className="font-medium text-zinc-900">
            {event.description}
            {event.actor ? <span className="font-normal text-zinc-600"> by {event.actor.email}</span> : null}
          </p>
          <p className="mt-0.5 text-zinc-600">
            <TimeStamp date={new Date(event.createdAt)} />
            {origin(event) ? <span> · {origin(event)}</span> : null}
          </p>
        </li>
      ))}
    </ol>
  );
}

/** "Safari on iPhone, 198.51.100.7"; nothing for events with neither (command line, an administrator's action). */
function origin(event: SecurityActivity): string | null {
  const parts = [event.userAgent ? describeDevice(event.userAgent) : null, event.ip].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : null;
}
