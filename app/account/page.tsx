import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { signOutEverywhereAction } from "@/app/account/actions";
import { ChangePasswordForm } from "@/app/account/change-password-form";
import { DeviceList } from "@/app/account/device-list";
import { ActionButton } from "@/app/_components/action-button";
import { Badge, Detail, DetailList, Panel } from "@/app/_components/panel";
import { RoleBadge } from "@/app/_components/role-badge";
import { getDb } from "@/db/client";
import { isDatabaseUnavailable } from "@/db/errors";
import { requireUser } from "@/lib/auth/dal";
import { listSessions } from "@/lib/auth/devices";
import type { AccessClaims } from "@/lib/auth/jwt";
import { findPublicUser } from "@/lib/auth/users";
import { withDatabaseDeadline } from "@/lib/deadline";
import { env } from "@/lib/env";
import { ERRORS } from "@/lib/errors";
import { logEvent } from "@/lib/log";

export const metadata: Metadata = { title: "Account" };

const ACCOUNT_PATH = "/account";

export default async function AccountPage() {
  const claims = await requireUser(ACCOUNT_PATH);
  const account = await loadAccount(claims);
  return (
    <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-12 sm:px-6">
      <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">Account</h1>
      <p className="mt-1 text-zinc-600">Your profile, your password and the devices signed in to your account.</p>

      {account ? (
        <div className="mt-8 grid items-start gap-6 md:grid-cols-2">
          <Panel title="Profile">
            <DetailList>
              <Detail term="Name">{account.user.name}</Detail>
              <Detail term="Email">{account.user.email}</Detail>
              <Detail term="Role">
                <RoleBadge role={account.user.role} />
              </Detail>
              <Detail term="Email verified">
                {account.user.emailVerified ? <Badge tone="green">Verified</Badge> : <Badge tone="amber">Not verified</Badge>}
              </Detail>
            </DetailList>
          </Panel>

          <Panel title="Change password" description="You will stay signed in here.">
            <ChangePasswordForm email={account.user.email} passwordMinLength={env().PASSWORD_MIN_LENGTH} />
          </Panel>

          <div className="md:col-span-2">
            <Panel title="Signed-in devices" description="Sign out any device you don't recognise, then change your password.">
              <DeviceList devices={account.devices} />
              <div className="flex flex-wrap items-center justify-between gap-4 border-t border-zinc-200 bg-zinc-50/60 px-5 py-4">
                <p className="max-w-xl text-sm text-zinc-600">
                  Ends every session of your account, this one included. Everyone, on every device, will have to sign in
                  again.
                </p>
                <ActionButton action={signOutEverywhereAction} variant="danger" size="md" pendingLabel="Signing out everywhere…">
                  Sign out everywhere
                </ActionButton>
              </div>
            </Panel>
          </div>
        </div>
      ) : (
        <p role="alert" className="mt-8 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          {ERRORS.unavailable.message} You are still signed in.{" "}
          <a href={ACCOUNT_PATH} className="font-medium underline underline-offset-4">
            Try again
          </a>
        </p>
      )}
    </main>
  );
}

/**
 * Unlike the dashboard this page needs the database (the devices list, and
 * whether the email is verified). When the database cannot be reached the
 * page still renders and says "try again", as a signed-in page must while
 * its access JWT is valid (contract invariant 8), rather than erroring.
 */
async function loadAccount(claims: AccessClaims) {
  let loaded;
  try {
    loaded = await withDatabaseDeadline(
      Promise.all([getDb().then((db) => findPublicUser(db, claims.sub)), listSessions(claims.sub, claims.sid)]),
    );
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    logEvent("warn", "database_unavailable", { during: "account_page" });
    return null;
  }
  const [user, devices] = loaded;
  // requireUser found this session live, so its user existed a moment ago; gone now means signed out.
  if (!user) redirect(`/login?next=${encodeURIComponent(ACCOUNT_PATH)}`);
  return { user, devices };
}
