import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { textLinkClass } from "@/app/_components/auth-card";
import { Badge, Detail, DetailList, Panel } from "@/app/_components/panel";
import { RoleBadge } from "@/app/_components/role-badge";
import { SecurityActivityList } from "@/app/_components/security-activity-list";
import { SessionList } from "@/app/_components/session-list";
import { TimeStamp } from "@/app/_components/time-stamp";
import { UnavailableNotice } from "@/app/_components/unavailable-notice";
import { UserActions } from "@/app/(signed-in)/admin/users/[id]/user-actions";
import { revokeUserApiKeyAction } from "@/app/_actions/admin-users";
import { ActionButton } from "@/app/_components/action-button";
import { ApiKeyList } from "@/app/_components/api-key-list";
import { UserIdSchema } from "@/lib/admin/schemas";
import { getUserDetails } from "@/lib/admin/user-details";
import { requireAdminPage } from "@/lib/auth/dal";
import { ADMIN_ACTIVITY_LIMIT } from "@/lib/auth/events/security-activity";
import { hasSecondFactor, type SignInMethods } from "@/lib/auth/step-up/sign-in-methods";
import { loadPageData } from "@/lib/page-data";

export const metadata: Metadata = { title: "Account · Admin" };

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const path = `/admin/users/${encodeURIComponent(id)}`;
  const loaded = await loadPageData(async () => {
    const claims = await requireAdminPage(path);
    // Malformed and unknown ids look the same: not found.
    const userId = UserIdSchema.safeParse(id);
    const details = userId.success ? await getUserDetails(userId.data, claims.sid) : null;
    if (!details) notFound();
    return { ...details, self: details.user.id === claims.sub };
  }, "admin_user_page");

  return (
    <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-12 sm:px-6">
      <p className="text-sm">
        <Link href="/admin" className={textLinkClass}>
          ← All accounts
        </Link>
      </p>
      {!loaded ? (
        <UnavailableNotice retryHref={path} />
      ) : (
        <>
          <h1 className="mt-3 flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight text-zinc-900">
            {loaded.user.name}
            {loaded.user.disabledAt ? <Badge tone="amber">Disabled</Badge> : null}
            {loaded.self ? <Badge tone="indigo">You</Badge> : null}
          </h1>
          <p className="mt-1 break-all text-zinc-600">{loaded.user.email}</p>

          <div className="mt-8 grid items-start gap-6 md:grid-cols-2">
            <Panel title="Account">
              <DetailList>
                <Detail term="Role">
                  <RoleBadge role={loaded.user.role} />
                </Detail>
                <Detail term="Status">
                  {loaded.user.disabledAt ? (
                    <>
                      Disabled since <TimeStamp date={new Date(loaded.user.disabledAt)} />
                    </>
                  ) : (
                    <Badge tone="green">Active</Badge>
                  )}
                </Detail>
                <Detail term="Email verified">
                  {loaded.user.emailVerified ? <Badge tone="green">Verified</Badge> : <Badge tone="amber">Not verified</Badge>}
                </Detail>
                <Detail term="Second factors">{describeSecondFactors(loaded.signInMethods)}</Detail>
                <Detail term="Created">
                  <TimeStamp date={new Date(loaded.user.createdAt)} />
                </Detail>
                <Detail term="Last sign-in">{loaded.user.lastSignInAt ? <TimeStamp date={new Date(loaded.user.lastSignInAt)} /> : "Never"}</Detail>
                <Detail term="User id">
                  <code className="text-xs">{loaded.user.id}</code>
                </Detail>
              </DetailList>
            </Panel>

            <Panel title="Actions" description="Each is recorded in the account's security activity, with your email address.">
              <UserActions user={loaded.user} sessionCount={loaded.sessions.length} self={loaded.self} hasSecondFactor={hasSecondFactor(loaded.signInMethods)} />
            </Panel>

            <div className="md:col-span-2">
              <Panel title="Signed-in devices" description="Live sessions, most recently used first.">
                <SessionList sessions={loaded.sessions} label="Signed-in devices" />
              </Panel>
            </div>

            <div className="md:col-span-2">
              <Panel title="API keys" description="Keys not revoked, newest first. Revoking one refuses its next request and emails the owner.">
                <ApiKeyList
                  apiKeys={loaded.apiKeys}
                  label="API keys"
                  now={new Date()}
                  action={(apiKey) => (
                    <ActionButton
                      action={revokeUserApiKeyAction}
                      hidden={{ userId: loaded.user.id, keyId: apiKey.id }}
                      label={`Revoke ${apiKey.name}`}
                      variant="danger"
                      pendingLabel="Revoking…"
                    >
                      Revoke
                    </ActionButton>
                  )}
                />
              </Panel>
            </div>

            <div className="md:col-span-2">
              <Panel title="Security activity" description={`The last ${ADMIN_ACTIVITY_LIMIT} events, newest first, failed sign-ins included.`}>
                <SecurityActivityList events={loaded.events} label="Security activity" />
              </Panel>
            </div>
          </div>
        </>
      )}
    </main>
  );
}

function describeSecondFactors(methods: SignInMethods): string {
  const parts = [methods.totp ? "authenticator app" : null, methods.passkeys > 0 ? `${methods.passkeys} passkey${methods.passkeys === 1 ? "" : "s"}` : null];
  const present = parts.filter((part) => part !== null);
  return present.length ? present.join(", ") : "None";
}
