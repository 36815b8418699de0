import type { Metadata } from "next";
import Link from "next/link";
import { textLinkClass } from "@/app/_components/auth-card";
import { ActionButton } from "@/app/_components/action-button";
import { Badge, Panel } from "@/app/_components/panel";
import { UnavailableNotice } from "@/app/_components/unavailable-notice";
import { setRequireAdminSecondFactorAction } from "@/app/_actions/admin-settings";
import { adminsWithoutSecondFactor } from "@/lib/admin/admin-second-factor-policy";
import { readAppSettings } from "@/lib/admin/app-settings";
import { getDb } from "@/db/client";
import { getCurrentSession, requireAdminPage } from "@/lib/auth/dal";
import { loadPageData } from "@/lib/page-data";

export const metadata: Metadata = { title: "Settings · Admin" };

const SETTINGS_PATH = "/admin/settings";

export default async function AdminSettingsPage() {
  const loaded = await loadPageData(async () => {
    await requireAdminPage(SETTINGS_PATH);
    const session = await getCurrentSession();
    const [settings, unprotected] = await Promise.all([readAppSettings(await getDb()), adminsWithoutSecondFactor()]);
    const twoFactorSession = session.status === "authenticated" && session.live?.twoFactor === true;
    return { settings, unprotected, twoFactorSession };
  }, "admin_settings_page");

  return (
    <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-12 sm:px-6">
      <p className="text-sm">
        <Link href="/admin" className={textLinkClass}>
          ← All accounts
        </Link>
      </p>
      <h1 className="mt-3 text-2xl font-semibold tracking-tight text-zinc-900">Settings</h1>
      <p className="mt-1 text-zinc-600">Apply to every instance at once. Each change is recorded in your security activity.</p>
      {!loaded ? (
        <UnavailableNotice retryHref={SETTINGS_PATH} />
      ) : (
        <div className="mt-8">
          <Panel
            title="Require a second factor for admins"
            description="When on, admin rights work only in a session signed in (or confirmed) with an authenticator app, a recovery code or a passkey. Admins without one are sent to set one up."
          >
            <div className="flex flex-wrap items-center justify-between gap-4 px-5 py-4">
              <p className="text-sm text-zinc-700">
                Now: {loaded.settings.requireAdminSecondFactor ? <Badge tone="green">On</Badge> : <Badge tone="amber">Off</Badge>}
              </p>
              {loaded.settings.requireAdminSecondFactor ? (
                <ActionButton action={setRequireAdminSecondFactorAction} hidden={{ value: "false" }} variant="danger" pendingLabel="Turning off…">
                  Turn off
                </ActionButton>
              ) : (
                <ActionButton action={setRequireAdminSecondFactorAction} hidden={{ value: "true" }} pendingLabel="Turning on…">
                  Turn on
                </ActionButton>
              )}
            </div>
            {!loaded.settings.requireAdminSecondFactor && !loaded.twoFactorSession ? (
              <p className="border-t border-zinc-100 px-5 py-3 text-sm text-zinc-600">
                To turn it on, first sign in with a second factor yourself (set one up on{" "}
                <Link href="/account" className={textLinkClass}>
                  your account page
                </Link>
                ), so you cannot lock yourself out.
              </p>
            ) : null}
            <div className="border-t border-zinc-100 px-5 py-3 text-sm text-zinc-600">
              {loaded.unprotected.length === 0 ? (
                "Every admin has a second factor."
              ) : (
                <>
                  Admins without a second factor ({loaded.unprotected.length}):{" "}
                  {loaded.unprotected.map((admin, index) => (
                    <span key={admin.id}>
                      {index > 0 ? ", " : null}
                      <Link href={`/admin/users/${admin.id}`} className={textLinkClass}>
                        {admin.email}
                      </Link>
                    </span>
                  ))}
                </>
              )}
            </div>
          </Panel>
        </div>
      )}
    </main>
  );
}
