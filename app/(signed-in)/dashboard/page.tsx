import type { Metadata } from "next";
import Link from "next/link";
import { textLinkClass } from "@/app/_components/auth-card";
import { Detail, DetailList, Panel } from "@/app/_components/panel";
import { RoleBadge } from "@/app/_components/role-badge";
import { TimeStamp } from "@/app/_components/time-stamp";
import { requireUser } from "@/lib/auth/dal";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Dashboard" };

// The account and session panels come from the verified access JWT, not the
// database, so they keep rendering while the database is unreachable (contract
// invariant 8).
export default async function DashboardPage() {
  const user = await requireUser("/dashboard");
  const expiresAt = new Date(user.exp * 1000);
  return (
    <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-12 sm:px-6">
      <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">Dashboard</h1>
      <p className="mt-1 text-zinc-600">Welcome back, {user.name}.</p>

      <div className="mt-8 grid gap-6 md:grid-cols-2">
        <Panel title="Your account">
          <DetailList>
            <Detail term="Name">{user.name}</Detail>
            <Detail term="Email">{user.email}</Detail>
            <Detail term="Role">
              <RoleBadge role={user.role} />
            </Detail>
          </DetailList>
          <p className="border-t border-zinc-100 px-5 py-3 text-sm">
            <Link href="/account" className={textLinkClass}>
              Manage your account
            </Link>
            <span className="text-zinc-500"> — password and signed-in devices</span>
          </p>
        </Panel>
        <Panel title="This session">
          <DetailList>
            <Detail term="Access token expires">
              <TimeStamp date={expiresAt} />
            </Detail>
            <Detail term="Renewal">Automatic, as long as you come back within {daysText(env().REFRESH_IDLE_TTL_SECONDS)}</Detail>
          </DetailList>
        </Panel>
      </div>
    </main>
  );
}

function daysText(seconds: number): string {
  const days = Math.max(1, Math.round(seconds / 86_400));
  return days === 1 ? "a day" : `${days} days`;
}
