import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { NotificationsForm } from "@/app/(signed-in)/settings/notifications/notifications-form";
import { Panel } from "@/app/_components/panel";
import { UnavailableNotice } from "@/app/_components/unavailable-notice";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dal";
import { readNotificationPreferences } from "@/lib/auth/accounts/notification-preferences";
import { loadPageData } from "@/lib/page-data";

export const metadata: Metadata = { title: "Notifications" };

const NOTIFICATIONS_PATH = "/settings/notifications";

// On no list: the middleware protects every path that is not public (docs/decisions/0028).
export default async function NotificationsPage() {
  const claims = await requireUser(NOTIFICATIONS_PATH);
  const loaded = await loadPageData(
    async () => ({ preferences: await readNotificationPreferences(await getDb(), claims.sub) }),
    "notifications_page",
  );
  // requireUser found this session live, so its user existed a moment ago; gone now means signed out.
  if (loaded && !loaded.preferences) redirect(`/login?next=${encodeURIComponent(NOTIFICATIONS_PATH)}`);
  return (
    <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-12 sm:px-6">
      <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">Notifications</h1>
      <p className="mt-1 text-zinc-600">Which emails your account sends you.</p>
      {loaded?.preferences ? (
        <div className="mt-8 max-w-2xl">
          <Panel title="Email">
            <NotificationsForm newDeviceSignIn={loaded.preferences.newDeviceSignIn} />
          </Panel>
        </div>
      ) : (
        <UnavailableNotice retryHref={NOTIFICATIONS_PATH} />
      )}
    </main>
  );
}
