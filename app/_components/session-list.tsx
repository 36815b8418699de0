import type { ReactNode } from "react";
import { Badge } from "@/app/_components/panel";
import { TimeStamp } from "@/app/_components/time-stamp";
import { describeDevice } from "@/lib/auth/sessions/describe-device";
import type { DeviceSession } from "@/lib/auth/sessions/devices";

/**
 * One row per live session, in the order given (listSessions: most recently
 * used first). `action` adds a control to each row, e.g. "Sign out" on /account.
 */
export function SessionList({
  sessions,
  label,
  action,
}: {
  sessions: DeviceSession[];
  /** The list's accessible name. */
  label: string;
  action?: (session: DeviceSession, deviceName: string) => ReactNode;
}) {
  if (sessions.length === 0) return <p className="px-5 py-4 text-sm text-zinc-500">No device is signed in.</p>;
  return (
    <ul aria-label={label} className="divide-y divide-zinc-100">
      {sessions.map((session) => {
        const name = describeDevice(session.userAgent);
        return (
          <li key={session.id} className="flex flex-wrap items-start gap-x-4 gap-y-3 px-5 py-4 sm:flex-nowrap">
            <DeviceIcon />
            {/* On a phone the details take the whole width and the button drops below them. */}
            <div className="min-w-0 flex-1 max-sm:basis-full">
              <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-zinc-900">
                {name}
                {session.current ? <Badge tone="indigo">This device</Badge> : null}
              </p>
              <dl className="mt-1.5 grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
                <dt className="text-zinc-500">IP address</dt>
                <dd className="text-zinc-800">{session.ip ?? "Unknown"}</dd>
                <dt className="text-zinc-500">Signed in</dt>
                <dd className="text-zinc-800">
                  <TimeStamp date={new Date(session.createdAt)} />
                </dd>
                <dt className="text-zinc-500">Last active</dt>
                <dd className="text-zinc-800">
                  <TimeStamp date={new Date(session.lastUsedAt)} />
                </dd>
              </dl>
            </div>
            {action?.(session, name)}
          </li>
        );
      })}
    </ul>
  );
}

function DeviceIcon() {
  return (
    <span aria-hidden="true" className="flex size-9 shrink-0 items-center justify-center rounded-lg bg-zinc-100 text-zinc-600 max-sm:hidden">
      <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" strokeLinejoin="round" className="size-5">
        <rect x="3" y="4" width="18" height="12" rx="1.5" />
        <path d="M8 20h8M12 16v4" />
      </svg>
    </span>
  );
}
