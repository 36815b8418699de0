"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { changePassword } from "@/lib/auth/passwords/change-password";
import { requireLiveUser } from "@/lib/auth/dal";
import { readDeviceCookie } from "@/lib/auth/sessions/device-cookie";
import { logOutEverywhere, revokeOwnSession } from "@/lib/auth/sessions/devices";
import type { AccessClaims } from "@/lib/auth/edge/jwt";
import { ChangePasswordInput, SessionIdParam } from "@/lib/auth/schemas";
import { clearSessionCookies } from "@/lib/auth/sessions/session-cookies";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { AppError, ERRORS } from "@/lib/errors";
import { attemptFormAction, formSuccess, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { validate } from "@/lib/http/read-json";

const ACCOUNT_PATH = "/account";

/**
 * Password changes and session revocations check in the database that this
 * session is still live, not only that its JWT verifies. A session that has
 * already ended is sent to sign in and come back here.
 */
async function requireAccountUser(): Promise<AccessClaims> {
  return (await requireLiveUser(ACCOUNT_PATH)).claims;
}

export type ChangePasswordField = "currentPassword" | "newPassword";

/** Keeps this session, ends every other one, and emails the owner a notice. */
export async function changePasswordAction(
  _previous: FormState<ChangePasswordField>,
  formData: FormData,
): Promise<FormState<ChangePasswordField>> {
  const fields = readFormFields(formData, ["currentPassword", "newPassword"]);
  // Passwords are never sent back to the form.
  const failed = await attemptFormAction({}, async (meta) => {
    const { claims, live } = await requireLiveUser(ACCOUNT_PATH);
    const input = validate(ChangePasswordInput, fields);
    const deviceCookie = readDeviceCookie(await cookies());
    await changePassword({ userId: claims.sub, sessionId: claims.sid, authenticatedAt: live.authenticatedAt, deviceCookie, ...input }, meta);
    scheduleEmailDelivery();
  });
  if (failed) return failed;
  // The other devices just ended: the list on this page must say so.
  revalidatePath(ACCOUNT_PATH);
  return formSuccess({});
}

/** Signing this very device out is signing out: cookies cleared, off to sign in. */
export async function signOutDeviceAction(_previous: FormState<never>, formData: FormData): Promise<FormState<never>> {
  const { sessionId } = readFormFields(formData, ["sessionId"]);
  let signedOutHere = false;
  const failed = await attemptFormAction({}, async (meta) => {
    const claims = await requireAccountUser();
    const id = SessionIdParam.safeParse(sessionId);
    if (!id.success) throw new AppError("notFound");
    await revokeOwnSession({ userId: claims.sub, sessionId: id.data }, meta);
    if (id.data === claims.sid) {
      clearSessionCookies(await cookies());
      signedOutHere = true;
    }
  });
  // Not found means already signed out (from another tab or device), or
  // never ours: either way nothing is left to do but show the list as it is.
  if (failed && failed.formError?.code !== ERRORS.notFound.code) return failed;
  if (signedOutHere) redirect("/login");
  revalidatePath(ACCOUNT_PATH);
  return formSuccess({});
}

/** Every session of the account ends, this one included. */
export async function signOutEverywhereAction(_previous: FormState<never>, _formData: FormData): Promise<FormState<never>> {
  const failed = await attemptFormAction({}, async (meta) => {
    const claims = await requireAccountUser();
    await logOutEverywhere(claims.sub, meta);
    clearSessionCookies(await cookies());
  });
  if (failed) return failed;
  redirect("/login");
}
