import { PasskeyControls } from "@/app/(signed-in)/account/passkey-controls";
import { Badge } from "@/app/_components/panel";
import { TimeStamp } from "@/app/_components/time-stamp";
import type { PasskeyView } from "@/lib/auth/passkeys/passkey-view";

/** The account's passkeys, one row each, with rename and remove. */
export function PasskeyList({ passkeys }: { passkeys: PasskeyView[] }) {
  if (passkeys.length === 0) return <p className="px-5 py-4 text-sm text-zinc-500">No passkeys yet.</p>;
  return (
    <ul aria-label="Passkeys" className="divide-y divide-zinc-100">
      {passkeys.map((passkey) => (
        <li key={passkey.id} className="flex flex-wrap items-start gap-x-4 gap-y-3 px-5 py-4 sm:flex-nowrap">
          <div className="min-w-0 flex-1 max-sm:basis-full">
            <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-zinc-900">
              {passkey.name}
              {passkey.deviceType === "multiDevice" ? <Badge tone="indigo">Synced</Badge> : <Badge>This device only</Badge>}
            </p>
            <dl className="mt-1.5 grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
              <dt className="text-zinc-500">Created</dt>
              <dd className="text-zinc-800">
                <TimeStamp date={passkey.createdAt} />
              </dd>
              <dt className="text-zinc-500">Last used</dt>
              <dd className="text-zinc-800">{passkey.lastUsedAt ? <TimeStamp date={passkey.lastUsedAt} /> : "Never"}</dd>
            </dl>
          </div>
          <PasskeyControls id={passkey.id} name={passkey.name} />
        </li>
      ))}
    </ul>
  );
}
