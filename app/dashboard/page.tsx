import type { Metadata } from "next";
import type { ReactNode } from "react";
import { requireUser } from "@/lib/auth/dal";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Dashboard" };

// Everything here comes from the verified access JWT, not the database, so
// the page keeps rendering while the database is unreachable (contract invariant 8).
export default async function DashboardPage() {
  const user = await requireUser("/dashboard");
  const expiresAt = new Date(user.exp * 1000);
  return (
    <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-12 sm:px-6">
      <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">Dashboard</h1>
      <p className="mt-1 text-zinc-600">Welcome back, {user.name}.</p>

      <div className="mt-8 grid gap-6 md:grid-cols-2">
        <Panel title="Your account">
          <Detail term="Name">{user.name}</Detail>
          <Detail term="Email">{user.email}</Detail>
          <Detail term="Role">
            <span className="rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-700 capitalize">{user.role}</span>
          </Detail>
        </Panel>
        <Panel title="This session">
          <Detail term="Access token expires">
            <time dateTime={expiresAt.toISOString()}>{formatTime(expiresAt)}</time>{" "}
            <span className="text-zinc-500">({untilText(expiresAt)})</span>
          </Detail>
          <Detail term="Renewal">Automatic, as long as you come back within {daysText(env().REFRESH_IDLE_TTL_SECONDS)}</Detail>
        </Panel>
      </div>
    </main>
  );
}

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="rounded-xl border border-zinc-200 bg-white shadow-sm">
      <h2 className="border-b border-zinc-200 px-5 py-3 text-sm font-medium text-zinc-900">{title}</h2>
      <dl className="divide-y divide-zinc-100 px-5">{children}</dl>
    </section>
  );
}

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-4 py-3 text-sm">
      <dt className="text-zinc-500">{term}</dt>
      <dd className="col-span-2 break-words text-zinc-900">{children}</dd>
    </div>
  );
}

// UTC, spelled out: the server renders this and cannot know the reader's time zone.
const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function formatTime(date: Date): string {
  return `${timeFormat.format(date)} UTC`;
}

function daysText(seconds: number): string {
  const days = Math.max(1, Math.round(seconds / 86_400));
  return days === 1 ? "a day" : `${days} days`;
}

function untilText(date: Date): string {
  const minutes = Math.round((date.getTime() - Date.now()) / 60_000);
  if (minutes <= 0) return "any moment now";
  return minutes === 1 ? "in 1 minute" : `in ${minutes} minutes`;
}
