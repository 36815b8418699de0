import type { ReactNode } from "react";
import { Badge } from "@/app/_components/panel";
import { TimeStamp } from "@/app/_components/time-stamp";
import type { ApiKeyView } from "@/lib/auth/api-keys/api-key-view";

/**
 * A user's API keys, one row each: never the key, only its non-secret
 * prefix. `action` adds a control to each row ("Revoke" on /account and on
 * an admin's view of the account).
 */
export function ApiKeyList({
  apiKeys,
  label,
  now,
  action,
}: {
  apiKeys: ApiKeyView[];
  label: string;
  now: Date;
  action?: (apiKey: ApiKeyView) => ReactNode;
}) {
  if (apiKeys.length === 0) return <p className="px-5 py-4 text-sm text-zinc-500">No API keys.</p>;
  return (
    <ul aria-label={label} className="divide-y divide-zinc-100">
      {apiKeys.map((apiKey) => {
        const expired = apiKey.expiresAt !== null && new Date(apiKey.expiresAt) <= now;
        return (
          <li key={apiKey.id} className="flex flex-wrap items-start gap-x-4 gap-y-3 px-5 py-4 sm:flex-nowrap">
            <div className="min-w-0 flex-1 max-sm:basis-full">
              <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-zinc-900">
                {apiKey.name}
                <code className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700">{apiKey.prefix}…</code>
                {expired ? <Badge tone="amber">Expired</Badge> : null}
              </p>
              <dl className="mt-1.5 grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
                <dt className="text-zinc-500">Scopes</dt>
                <dd className="text-zinc-800">{apiKey.scopes.join(", ")}</dd>
                <dt className="text-zinc-500">Created</dt>
                <dd className="text-zinc-800">
                  <TimeStamp date={new Date(apiKey.createdAt)} />
                </dd>
                <dt className="text-zinc-500">Expires</dt>
                <dd className="text-zinc-800">{apiKey.expiresAt ? <TimeStamp date={new Date(apiKey.expiresAt)} /> : "Never"}</dd>
                <dt className="text-zinc-500">Last used</dt>
                <dd className="text-zinc-800">
                  {apiKey.lastUsedAt ? (
                    <>
                      <TimeStamp date={new Date(apiKey.lastUsedAt)} /> from {apiKey.lastUsedIp ?? "an unknown address"}
                    </>
                  ) : (
                    "Never"
                  )}
                </dd>
              </dl>
            </div>
            {action?.(apiKey)}
          </li>
        );
      })}
    </ul>
  );
}
