import { env } from "@/lib/env";

// Plain functions that return both parts of a message. No images, no tracking
// pixels, no redirects through a click tracker: links go straight to APP_URL.

export type EmailKind =
  | "verify_email"
  | "signup_existing_account"
  | "choose_password"
  | "password_changed"
  | "reset_password"
  | "new_device_sign_in"
  | "provider_linked"
  | "provider_unlinked"
  | "api_key_created"
  | "api_key_revoked"
  | "second_factors_reset"
  | "passkey_added"
  | "passkey_removed"
  | "totp_enabled"
  | "totp_disabled"
  | "recovery_codes_generated"
  | "recovery_code_used";

export type EmailMessage = { kind: EmailKind; to: string; subject: string; text: string; html: string };

/** Links come from APP_URL only, never from a request's Host or X-Forwarded-Host. */
export function appLink(pathname: string, params: Record<string, string> = {}): string {
  const url = new URL(pathname, env().APP_URL);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

// Anyone can make the app send these two to any address, with a name of their
// choosing: they carry no name, so a stranger's words never reach an inbox
// under our sender (docs/decisions/0019).

export function verificationEmail(input: { to: string; token: string }): EmailMessage {
  const link = appLink("/verify-email", { token: input.token });
  return message("verify_email", input.to, "Confirm your email address", {
    greeting: "Hello,",
    paragraphs: [
      "Confirm your email address to finish creating your account. The link works for 24 hours.",
      "Open it in the browser you signed up in to be signed in straight away; anywhere else, you confirm the address and then choose a password.",
    ],
    action: { label: "Confirm email address", href: link },
    footer: "If you did not create an account, you can ignore this email.",
  });
}

export function signupExistingAccountEmail(input: { to: string }): EmailMessage {
  return message("signup_existing_account", input.to, "Someone tried to sign up with your email", {
    greeting: "Hello,",
    paragraphs: [
      "Someone just tried to create a new account with this email address. You already have one, so nothing was changed.",
      "If it was you, sign in instead. If you forgot your password, you can reset it from the sign-in page.",
    ],
    action: { label: "Sign in", href: appLink("/login") },
    footer: "If it was not you, you can ignore this email: your account is unchanged.",
  });
}

/** After a confirmation that kept no password: the way to choose one (docs/decisions/0019). */
export function choosePasswordEmail(input: { to: string; token: string }): EmailMessage {
  return message("choose_password", input.to, "Choose a password", {
    greeting: "Hello,",
    paragraphs: [
      "Your email address is confirmed. It was confirmed in a browser other than the one that signed up, so the password chosen at sign-up was not kept: choose one with the link below. It works once, for 30 minutes.",
    ],
    action: { label: "Choose a password", href: appLink("/reset-password", { token: input.token }) },
    footer: "If you did not confirm an account, ignore this email: nobody can sign in to it without this link.",
  });
}

export function passwordResetEmail(input: { to: string; name: string; token: string }): EmailMessage {
  return message("reset_password", input.to, "Reset your password", {
    greeting: `Hi ${input.name},`,
    paragraphs: [
      "Someone asked to reset the password of your account. If it was you, choose a new password with the link below. It works once, for 30 minutes.",
      "Resetting your password signs you out on every device.",
    ],
    action: { label: "Choose a new password", href: appLink("/reset-password", { token: input.token }) },
    footer: "If you did not ask for this, ignore this email: your password stays as it is.",
  });
}

export function newDeviceSignInEmail(input: { to: string; name: string; device: string; ip: string | null; at: Date }): EmailMessage {
  const where = input.ip ? ` from the IP address ${input.ip}` : "";
  return message("new_device_sign_in", input.to, `New sign-in: ${input.device}`, {
    greeting: `Hi ${input.name},`,
    paragraphs: [
      `Your account was just signed in to on ${input.device}${where}, at ${input.at.toISOString().replace("T", " ").slice(0, 16)} UTC.`,
      "If this was you, there is nothing to do. If not, change your password and sign that device out from your account page.",
    ],
    action: { label: "Review your devices", href: appLink("/account") },
    footer: `We send this when a device we have not seen before signs in to your account. Turn it off at ${appLink("/settings/notifications")}.`,
  });
}

export function passwordChangedEmail(input: { to: string; name: string }): EmailMessage {
  return message("password_changed", input.to, "Your password was changed", {
    greeting: `Hi ${input.name},`,
    paragraphs: [
      "The password of your account was just changed, and every other device was signed out.",
      "If you did not do this, reset your password now and review the devices signed in to your account.",
    ],
    action: { label: "Review your account", href: appLink("/account") },
    footer: "You are receiving this because it concerns the security of your account.",
  });
}

/** `provider`: its display name from OIDC_PROVIDERS, which the operator wrote, never the person signing in. */
export function providerLinkedEmail(input: { to: string; name: string; provider: string }): EmailMessage {
  return message("provider_linked", input.to, `${input.provider} can now sign in to your account`, {
    greeting: `Hi ${input.name},`,
    paragraphs: [
      `A ${input.provider} account was just linked to your account: signing in with ${input.provider} now opens it.`,
      `If you did not do this, unlink ${input.provider} from your account page, change your password and sign out your other devices.`,
    ],
    action: { label: "Review your account", href: appLink("/account") },
    footer: "You are receiving this because it concerns the security of your account.",
  });
}

export function providerUnlinkedEmail(input: { to: string; name: string; provider: string }): EmailMessage {
  return message("provider_unlinked", input.to, `${input.provider} was unlinked from your account`, {
    greeting: `Hi ${input.name},`,
    paragraphs: [
      `Your ${input.provider} account can no longer sign in to your account.`,
      "If you did not do this, change your password and review the devices signed in to your account.",
    ],
    action: { label: "Review your account", href: appLink("/account") },
    footer: "You are receiving this because it concerns the security of your account.",
  });
}

/** `keyName`: the owner's own words; escaped in the HTML part like every value. */
export function apiKeyCreatedEmail(input: { to: string; name: string; keyName: string; prefix: string; scopes: string[]; expiresAt: Date | null }): EmailMessage {
  const expiry = input.expiresAt ? `It expires on ${input.expiresAt.toISOString().slice(0, 10)}.` : "It never expires.";
  return message("api_key_created", input.to, "A new API key was created for your account", {
    greeting: `Hi ${input.name},`,
    paragraphs: [
      `An API key named “${input.keyName}” (${input.prefix}…) was just created for your account, with the scopes ${input.scopes.join(", ")}. ${expiry}`,
      "If you did not do this, revoke it from your account page, change your password and sign out your other devices.",
    ],
    action: { label: "Review your API keys", href: appLink("/account") },
    footer: "You are receiving this because it concerns the security of your account.",
  });
}

export function apiKeyRevokedEmail(input: { to: string; name: string; keyName: string; prefix: string; byAdministrator: boolean }): EmailMessage {
  const who = input.byAdministrator ? "An administrator revoked" : "You revoked";
  return message("api_key_revoked", input.to, "An API key was revoked", {
    greeting: `Hi ${input.name},`,
    paragraphs: [
      `${who} the API key “${input.keyName}” (${input.prefix}…) of your account. Scripts and services using it are refused from now on.`,
      "If you did not expect this, review your account's API keys and security activity.",
    ],
    action: { label: "Review your account", href: appLink("/account") },
    footer: "You are receiving this because it concerns the security of your account.",
  });
}

export function secondFactorsResetEmail(input: { to: string; name: string }): EmailMessage {
  return message("second_factors_reset", input.to, "An administrator removed your second factors", {
    greeting: `Hi ${input.name},`,
    paragraphs: [
      "An administrator removed your account's authenticator app, recovery codes and passkeys, usually because you asked for help after losing them. Your password alone now signs you in.",
      "Set up two-factor authentication again from your account page. If you did not ask for this, change your password and contact your administrator.",
    ],
    action: { label: "Set up two-factor authentication", href: appLink("/account") },
    footer: "You are receiving this because it concerns the security of your account.",
  });
}

/** `passkeyName`: the owner's own words; escaped in the HTML part like every value. */
export function passkeyAddedEmail(input: { to: string; name: string; passkeyName: string }): EmailMessage {
  return securityNotice("passkey_added", input, "A passkey was added to your account", [
    `A passkey named “${input.passkeyName}” was just added to your account: it can now sign in without a password.`,
    "If you did not do this, remove it from your account page, change your password and sign out your other devices.",
  ]);
}

export function passkeyRemovedEmail(input: { to: string; name: string; passkeyName: string }): EmailMessage {
  return securityNotice("passkey_removed", input, "A passkey was removed from your account", [
    `The passkey named “${input.passkeyName}” was removed from your account and can no longer sign in.`,
    "If you did not expect this, review your account's passkeys and security activity.",
  ]);
}

export function totpEnabledEmail(input: { to: string; name: string }): EmailMessage {
  return securityNotice("totp_enabled", input, "Two-factor authentication is on", [
    "Signing in to your account now takes a code from your authenticator app (or one of your recovery codes) after your password.",
    "If you did not do this, someone may know your password: change it, and review your account.",
  ]);
}

export function totpDisabledEmail(input: { to: string; name: string }): EmailMessage {
  return securityNotice("totp_disabled", input, "Two-factor authentication is off", [
    "Your account no longer asks for an authenticator code when you sign in, and its recovery codes no longer work.",
    "If you did not do this, change your password, sign out your other devices and turn two-factor authentication back on.",
  ]);
}

export function recoveryCodesGeneratedEmail(input: { to: string; name: string }): EmailMessage {
  return securityNotice("recovery_codes_generated", input, "New recovery codes were made", [
    "New recovery codes were just made for your account; the old ones no longer work.",
    "If you did not do this, change your password and sign out your other devices.",
  ]);
}

export function recoveryCodeUsedEmail(input: { to: string; name: string; remaining: number }): EmailMessage {
  return securityNotice("recovery_code_used", input, "A recovery code was used", [
    `One of your recovery codes was just used to sign in or confirm it was you. ${input.remaining} ${input.remaining === 1 ? "code is" : "codes are"} left.`,
    "If this was not you, someone has your password and a recovery code: change your password, make new recovery codes and sign out your other devices.",
  ]);
}

function securityNotice(kind: EmailKind, input: { to: string; name: string }, subject: string, paragraphs: string[]): EmailMessage {
  return message(kind, input.to, subject, {
    greeting: `Hi ${input.name},`,
    paragraphs,
    action: { label: "Review your account", href: appLink("/account") },
    footer: "You are receiving this because it concerns the security of your account.",
  });
}

type Content = {
  greeting: string;
  paragraphs: string[];
  action: { label: string; href: string };
  footer: string;
};

function message(kind: EmailKind, to: string, subject: string, content: Content): EmailMessage {
  const text = [
    content.greeting,
    "",
    ...content.paragraphs.flatMap((p) => [p, ""]),
    `${content.action.label}: ${content.action.href}`,
    "",
    content.footer,
    "",
    "— Doorman",
  ].join("\n");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#18181b">
<table role="presentation" width="100%" style="max-width:520px;margin:0 auto;background:#ffffff;border-radius:12px;padding:32px">
<tr><td>
<p style="font-size:16px;line-height:24px;margin:0 0 16px">${escapeHtml(content.greeting)}</p>
${content.paragraphs.map((p) => `<p style="font-size:16px;line-height:24px;margin:0 0 16px">${escapeHtml(p)}</p>`).join("\n")}
<p style="margin:24px 0"><a href="${escapeHtml(content.action.href)}" style="display:inline-block;background:#18181b;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:8px;font-weight:600">${escapeHtml(content.action.label)}</a></p>
<p style="font-size:13px;line-height:20px;color:#52525b;margin:0 0 8px">Or paste this link into your browser: <span style="word-break:break-all">${escapeHtml(content.action.href)}</span></p>
<p style="font-size:13px;line-height:20px;color:#52525b;margin:16px 0 0">${escapeHtml(content.footer)}</p>
</td></tr></table></body></html>`;
  return { kind, to, subject, text, html };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
