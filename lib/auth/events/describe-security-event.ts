// One sentence per security event, for people: the account owner on /account
// and admins on a user's page read the same words. Neutral wording ("Signed
// in", not "You signed in") because both audiences read it.

type Detail = Record<string, unknown> | null;

const SENTENCES: Record<string, (detail: Detail) => string> = {
  sign_in: (detail) => {
    const second = detail?.secondFactor === "recovery_code" ? "a recovery code" : detail?.secondFactor === "totp" ? "an authenticator code" : null;
    const first = typeof detail?.provider === "string" ? detail.provider : detail?.method === "passkey" ? "a passkey" : null;
    const means = [first, second].filter(Boolean);
    const how = means.length > 0 ? ` with ${means.join(" and ")}` : "";
    const where = detail?.newDevice === true ? `Signed in${how} from a new device` : `Signed in${how}`;
    // A native app that signed in through the browser (docs/decisions/0034).
    return detail?.via === "authorization_code" ? `${where}, in an app through the browser` : where;
  },
  sign_in_failed: (detail) => {
    if (detail?.reason === "disabled") return "Sign-in refused: the account is disabled";
    return "Sign-in failed: wrong password";
  },
  sign_in_throttled: () => "Sign-in paused after repeated wrong passwords",
  sign_up: (detail) => (typeof detail?.provider === "string" ? `Account created with ${detail.provider}` : "Account created"),
  email_verified: () => "Email address confirmed",
  refresh_token_reuse: () => "An old sign-in token was used again; that device was signed out",
  authorization_code_reuse: () => "A sign-in code for an app was used twice; the device it signed in was signed out",
  session_revoked: () => "A device was signed out",
  sign_out: () => "Signed out",
  sessions_revoked: (detail) => {
    if (detail?.reason === "sign_out_everywhere") return "Signed out everywhere";
    if (detail?.reason === "password_changed") return "Other devices were signed out after the password change";
    if (detail?.reason === "password_reset") return "Every device was signed out after the password reset";
    return "Devices were signed out";
  },
  password_changed: () => "Password changed",
  password_reset_requested: () => "Password reset link requested",
  password_reset: () => "Password reset",
  notifications_changed: (detail) => `New-device sign-in emails turned ${detail?.newDeviceSignIn === false ? "off" : "on"}`,
  provider_linked: (detail) => `${String(detail?.provider ?? "A sign-in provider")} linked for signing in`,
  provider_unlinked: (detail) => `${String(detail?.provider ?? "A sign-in provider")} unlinked`,
  api_key_created: (detail) => `API key “${String(detail?.name ?? "")}” created`,
  api_key_revoked: (detail) =>
    typeof detail?.actorId === "string"
      ? `An administrator revoked the API key “${String(detail?.name ?? "")}”`
      : detail?.reason === "expired"
        ? `API key “${String(detail?.name ?? "")}” expired`
        : `API key “${String(detail?.name ?? "")}” revoked`,
  totp_enabled: () => "Two-factor authentication turned on (authenticator app)",
  totp_disabled: () => "Two-factor authentication turned off (authenticator app)",
  recovery_codes_generated: () => "New recovery codes made; the old ones no longer work",
  recovery_code_used: (detail) => `A recovery code was used${typeof detail?.remaining === "number" ? ` (${detail.remaining} left)` : ""}`,
  second_factor_failed: () => "A wrong two-factor code was entered",
  passkey_added: (detail) => `Passkey “${String(detail?.name ?? "")}” added`,
  passkey_removed: (detail) => `Passkey “${String(detail?.name ?? "")}” removed`,
  reauthenticated: (detail) => `Identity confirmed for a sensitive action${typeof detail?.method === "string" ? ` (${String(detail.method).replaceAll("_", " ")})` : ""}`,
  second_factors_reset: () => "An administrator removed the account's second factors and passkeys",
  setting_changed: (detail) =>
    detail?.key === "requireAdminSecondFactor"
      ? `Changed the setting “require a second factor for admins” to ${detail?.value === true ? "on" : "off"}`
      : "Changed an administrator setting",
  admin_sessions_revoked: () => "An administrator signed the account out everywhere",
  account_disabled: () => "An administrator disabled the account",
  account_enabled: () => "An administrator enabled the account",
  role_changed: (detail) => {
    const role = detail?.to === "admin" ? "admin" : "user";
    return detail?.via === "command_line"
      ? `Role changed to ${role} from the command line`
      : `An administrator changed the role to ${role}`;
  },
};

export function describeSecurityEvent(type: string, detail: Detail): string {
  const sentence = SENTENCES[type];
  return sentence ? sentence(detail) : `Security event: ${type.replaceAll("_", " ")}`;
}
