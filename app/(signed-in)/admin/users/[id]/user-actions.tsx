import type { ReactNode } from "react";
import { changeRoleAction, disableUserAction, enableUserAction, endUserSessionsAction, resetSecondFactorsAction } from "@/app/_actions/admin-users";
import { ActionButton } from "@/app/_components/action-button";
import type { AdminUser } from "@/lib/admin/admin-user";

/**
 * What an admin can do to an account, one row each: what it does, then the
 * button. On their own account admins cannot disable or demote themselves
 * (the server refuses too: 409 own_account), so those rows only say why.
 */
export function UserActions({
  user,
  sessionCount,
  self,
  hasSecondFactor,
}: {
  user: AdminUser;
  sessionCount: number;
  self: boolean;
  hasSecondFactor: boolean;
}) {
  const hidden = { userId: user.id };
  return (
    <ul className="divide-y divide-zinc-100">
      <Row
        title="Sign out everywhere"
        explanation={
          self
            ? "To sign yourself out everywhere, use your account page."
            : sessionCount === 0
              ? "No device is signed in to this account."
              : `Ends ${sessionCount === 1 ? "the one session" : `all ${sessionCount} sessions`} of this account at once. They can sign in again.`
        }
      >
        {self || sessionCount === 0 ? null : (
          <ActionButton action={endUserSessionsAction} hidden={hidden} variant="danger" pendingLabel="Ending sessions…">
            End all sessions
          </ActionButton>
        )}
      </Row>

      {user.disabledAt ? (
        <Row title="Enable account" explanation="They may sign in again. Sessions that ended when the account was disabled stay ended.">
          <ActionButton key="enable" action={enableUserAction} hidden={hidden} pendingLabel="Enabling…">
            Enable account
          </ActionButton>
        </Row>
      ) : (
        <Row
          title="Disable account"
          explanation={
            self
              ? "You cannot disable your own account. Ask another admin."
              : "Signs them out everywhere at once. Sign-in is refused, with the same answer as a wrong password, until the account is enabled again."
          }
        >
          {self ? null : (
            <ActionButton key="disable" action={disableUserAction} hidden={hidden} variant="danger" pendingLabel="Disabling…">
              Disable account
            </ActionButton>
          )}
        </Row>
      )}

      <Row
        title={user.role === "admin" ? "Remove admin role" : "Make admin"}
        explanation={
          self
            ? "You cannot change your own role. Ask another admin."
            : user.role === "admin"
              ? "They lose access to this console. Their sessions end, so they sign in again as a user."
              : "Gives full access to this console. Their sessions end, so they sign in again as an admin."
        }
      >
        {self ? null : user.role === "admin" ? (
          <ActionButton key="demote" action={changeRoleAction} hidden={{ ...hidden, role: "user" }} variant="danger" pendingLabel="Changing role…">
            Remove admin role
          </ActionButton>
        ) : (
          <ActionButton key="promote" action={changeRoleAction} hidden={{ ...hidden, role: "admin" }} pendingLabel="Changing role…">
            Make admin
          </ActionButton>
        )}
      </Row>

      <Row
        title="Reset second factors"
        explanation={
          self
            ? "Manage your own second factors from your account page."
            : hasSecondFactor
              ? "For someone who lost their authenticator and recovery codes: removes their authenticator app, recovery codes and passkeys, so their password alone signs in. They are emailed."
              : "This account has no authenticator app or passkey."
        }
      >
        {self || !hasSecondFactor ? null : (
          <ActionButton action={resetSecondFactorsAction} hidden={hidden} variant="danger" pendingLabel="Resetting…">
            Reset second factors
          </ActionButton>
        )}
      </Row>
    </ul>
  );
}

function Row({ title, explanation, children }: { title: string; explanation: string; children: ReactNode }) {
  return (
    <li className="flex flex-wrap items-center justify-between gap-x-6 gap-y-3 px-5 py-4">
      <div className="max-w-xl min-w-0 flex-1">
        <h3 className="text-sm font-medium text-zinc-900">{title}</h3>
        <p className="mt-0.5 text-sm text-zinc-600">{explanation}</p>
      </div>
      {children}
    </li>
  );
}
