import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { signOutEverywhereAction } from "@/app/(signed-in)/account/actions";
import { ChangePasswordForm } from "@/app/(signed-in)/account/change-password-form";
import { revokeApiKeyAction } from "@/app/(signed-in)/account/api-key-actions";
import { CreateApiKeyForm } from "@/app/(signed-in)/account/create-api-key-form";
import { ApiKeyList } from "@/app/_components/api-key-list";
import { DeviceList } from "@/app/(signed-in)/account/device-list";
import { AddPasskeyForm } from "@/app/(signed-in)/account/add-passkey-form";
import { PasskeyList } from "@/app/(signed-in)/account/passkey-list";
import { LinkedProviders } from "@/app/(signed-in)/account/linked-providers";
import { TwoFactorPanel, type TwoFactorView } from "@/app/(signed-in)/account/two-factor-panel";
import { ActionButton } from "@/app/_components/action-button";
import { textLinkClass } from "@/app/_components/auth-card";
import { Badge, Detail, DetailList, Panel } from "@/app/_components/panel";
import { RoleBadge } from "@/app/_components/role-badge";
import { SecurityActivityList } from "@/app/_components/security-activity-list";
import { UnavailableNotice } from "@/app/_components/unavailable-notice";
import { getDb, type Database } from "@/db/client";
import { requireUser } from "@/lib/auth/dal";
import { listSessions } from "@/lib/auth/sessions/devices";
import { listApiKeys } from "@/lib/auth/api-keys/list-api-keys";
import { listPasskeys } from "@/lib/auth/passkeys/passkey-view";
import { API_KEY_LIFETIMES } from "@/lib/auth/api-keys/schemas";
import { SCOPE_DESCRIPTIONS, grantableScopes } from "@/lib/auth/api-keys/scopes";
import type { AccessClaims } from "@/lib/auth/edge/jwt";
import { ACCOUNT_ACTIVITY_LIMIT, listAccountActivity } from "@/lib/auth/events/security-activity";
import { findPublicUser, hasPassword } from "@/lib/auth/accounts/users";
import { qrCodeSvg } from "@/lib/auth/second-factor/qr-code";
import { readTotpSetup, readTotpStatus } from "@/lib/auth/second-factor/totp-enrolment";
import { configuredProviders, providerName } from "@/lib/auth/sso/configured-providers";
import { listIdentities } from "@/lib/auth/sso/identities";
import { SSO_ERRORS, isSsoErrorCode } from "@/lib/auth/sso/sso-error";
import { singleParam, type SearchParams } from "@/lib/forms/search-param";
import { env } from "@/lib/env";
import { loadPageData } from "@/lib/page-data";

export const metadata: Metadata = { title: "Account" };

const ACCOUNT_PATH = "/account";

export default async function AccountPage({ searchParams }: { searchParams: SearchParams }) {
  const claims = await requireUser(ACCOUNT_PATH);
  const account = await loadAccount(claims);
  const params = await searchParams;
  const ssoError = singleParam(params.sso_error);
  const linked = singleParam(params.linked);
  const adminNeedsSecondFactor = singleParam(params.notice) === "admin_second_factor";
  const maxDays = env().API_KEY_MAX_DAYS;
  return (
    <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-12 sm:px-6">
      <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">Account</h1>
      <p className="mt-1 text-zinc-600">Your profile, your password, the devices signed in to your account and its security activity.</p>

      {adminNeedsSecondFactor ? (
        <p role="alert" className="mt-6 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          Administrators must use a second factor. Set up an authenticator app or a passkey below: the admin console opens to this session once you have.
        </p>
      ) : null}

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
            <p className="border-t border-zinc-100 px-5 py-3 text-sm">
              <Link href="/settings/notifications" className={textLinkClass}>
                Notification settings
              </Link>
              <span className="text-zinc-500"> — which emails you get</span>
            </p>
          </Panel>

          <div className="md:col-span-2">
            <Panel title="Sign-in providers" description="Accounts at other services that can sign you in here.">
              {isSsoErrorCode(ssoError) ? (
                <p role="alert" className="mx-5 mt-4 rounded-md border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-800">
                  {SSO_ERRORS[ssoError]}
                </p>
              ) : linked ? (
                <p role="status" className="mx-5 mt-4 rounded-md border border-green-200 bg-green-50 px-3 py-2.5 text-sm text-green-800">
                  {providerName(linked)} is linked: you can sign in with it now.
                </p>
              ) : null}
              <LinkedProviders identities={account.identities} providers={configuredProviders()} hasPassword={account.hasPassword} />
            </Panel>
          </div>

          {account.hasPassword ? (
            <Panel title="Change password" description="You will stay signed in here.">
              <ChangePasswordForm email={account.user.email} passwordMinLength={env().PASSWORD_MIN_LENGTH} />
            </Panel>
          ) : null}

          <div className="md:col-span-2">
            <Panel title="Two-factor authentication" description="A code from an authenticator app after your password, or one of your recovery codes.">
              <TwoFactorPanel view={account.twoFactor} />
            </Panel>
          </div>

          <div className="md:col-span-2">
            <Panel
              title="Passkeys"
              description="Sign in with your fingerprint, face or device PIN instead of a password. A synced passkey follows you to your other devices through your password manager."
            >
              <PasskeyList passkeys={account.passkeys} />
              <div className="border-t border-zinc-200">
                <AddPasskeyForm />
              </div>
            </Panel>
          </div>

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

          <div className="md:col-span-2">
            <Panel
              title="API keys"
              description="For scripts and services: send a key as Authorization: Bearer to the API. Each key can do only what its scopes allow, and never more than you can."
            >
              <ApiKeyList
                apiKeys={account.apiKeys}
                label="API keys"
                now={new Date()}
                action={(apiKey) => (
                  <ActionButton action={revokeApiKeyAction} hidden={{ keyId: apiKey.id }} label={`Revoke ${apiKey.name}`} variant="danger" pendingLabel="Revoking…">
                    Revoke
                  </ActionButton>
                )}
              />
              <div className="border-t border-zinc-200">
                <CreateApiKeyForm
                  scopes={grantableScopes(account.user.role).map((scope) => ({ scope, description: SCOPE_DESCRIPTIONS[scope] }))}
                  lifetimes={API_KEY_LIFETIMES.filter((days) => maxDays === undefined || days <= maxDays)}
                  allowNoExpiry={maxDays === undefined}
                />
              </div>
            </Panel>
          </div>

          <div className="md:col-span-2">
            <Panel
              title="Security activity"
              description={`The last ${ACCOUNT_ACTIVITY_LIMIT} sign-ins and changes to your account, newest first. Something you don't recognise? Sign out everywhere and change your password.`}
            >
              <SecurityActivityList events={account.activity} label="Security activity" />
            </Panel>
          </div>
        </div>
      ) : (
        <UnavailableNotice retryHref={ACCOUNT_PATH} />
      )}
    </main>
  );
}

/**
 * Unlike the dashboard this page needs the database (the devices list, the
 * activity, and whether the email is verified). When the database cannot be
 * reached the page still renders and says "try again", as a signed-in page
 * must while its access JWT is valid (contract invariant 8).
 */
async function loadAccount(claims: AccessClaims) {
  const loaded = await loadPageData(
    () =>
      Promise.all([
        getDb().then((db) => findPublicUser(db, claims.sub)),
        listSessions(claims.sub, claims.sid),
        listAccountActivity(claims.sub),
        getDb().then((db) => Promise.all([listIdentities(db, claims.sub), hasPassword(db, claims.sub)])),
        getDb().then((db) => listApiKeys(db, claims.sub)),
        getDb().then((db) => listPasskeys(db, claims.sub)),
        getDb().then((db) => loadTwoFactor(db, claims)),
      ]),
    "account_page",
  );
  if (!loaded) return null;
  const [user, devices, activity, [identities, passwordSet], apiKeys, passkeys, twoFactor] = loaded;
  // requireUser found this session live, so its user existed a moment ago; gone now means signed out.
  if (!user) redirect(`/login?next=${encodeURIComponent(ACCOUNT_PATH)}`);
  return { user, devices, activity, identities, hasPassword: passwordSet, apiKeys, passkeys, twoFactor };
}

/** The authenticator's state, and a set-up in progress with its QR code drawn here, on the server. */
async function loadTwoFactor(db: Database, claims: AccessClaims): Promise<TwoFactorView> {
  const [status, setup] = await Promise.all([readTotpStatus(db, claims.sub), readTotpSetup(db, { id: claims.sub, email: claims.email }, new Date())]);
  return { ...status, setup: setup ? { secret: setup.secret, qrSvg: await qrCodeSvg(setup.otpauthUri) } : null };
}
