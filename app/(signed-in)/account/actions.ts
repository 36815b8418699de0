"use server";

import { revalidatePath } from "next/cache";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { changePassword } from "@/lib/auth/change-password";
import { requireLiveSession, requireUser } from "@/lib/auth/dal";
import { logOutEverywhere, revokeOwnSession } from "@/lib/auth/devices";
import type { AccessClaims } from "@/lib/auth/jwt";
import { ChangePasswordInput, SessionIdParam } from "@/lib/auth/schemas";
import { clearSessionCookies } from "@/lib/auth/session-cookies";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { AppError, ERRORS } from "@/lib/errors";
import { formFailure, formSuccess, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { clientMeta } from "@/lib/http/client-meta";
import { validate } from "@/lib/http/read-json";
import { assertSameSite } from "@/lib/http/same-site";

const ACCOUNT_PATH = "/account";

/**
 * SECURITY.md: password changes and session revocations check in the
 * database that this session is still live, not only that its JWT verifies.
 * A session that has already ended is sent to sign in and come back here.
 */
async function requireLiveUser(): Promise<AccessClaims> {
  const claims = await requireUser(ACCOUNT_PATH);
  await requireLiveSession(claims);
  return claims;
}

export type ChangePasswordField = "currentPassword" | "newPassword";

/** Keeps this session, ends every other one, and emails the owner a notice. */
export async function changePasswordAction(
  _previous: FormState<ChangePasswordField>,
  formData: FormData,
): Promise<FormState<ChangePasswordField>> {
  const fields = readFormFields(formData, ["currentPassword", "newPassword"]);
  try {
    const requestHeaders = await headers();
    assertSameSite(requestHeaders);
    const claims = await requireLiveUser();
    const input = validate(ChangePasswordInput, fields);
    await changePassword({ userId: claims.sub, sessionId: claims.sid, ...input }, await clientMeta(requestHeaders));
    scheduleEmailDelivery();
  } catch (error) {
    // Passwords are never sent back to the form.
    return formFailure(error, {});
  }
  // The other devices just ended: the list on this page must say so.
  revalidatePath(ACCOUNT_PATH);
  return formSuccess({});
}

/** Signing this very device out is signing out: cookies cleared, off to sign in. */
export async function signOutDeviceAction(_previous: FormState<never>, formData: FormData): Promise<FormState<never>> {
  const { sessionId } = readFormFields(formData, ["sessionId"]);
  let signedOutHere = false;
  try {
    const requestHeaders = await headers();
    assertSameSite(requestHeaders);
    const claims = await requireLiveUser();
    const id = SessionIdParam.safeParse(sessionId);
    if (!id.success) throw new AppError("notFound");
    await revokeOwnSession({ userId: claims.sub, sessionId: id.data }, await clientMeta(requestHeaders));
    if (id.data === claims.sid) {
      clearSessionCookies(await cookies());
      signedOutHere = true;
    }
  } catch (error) {
    // Not found means already signed out (from another tab or device), or
    // never ours: either way nothing is left to do but show the list as it is.
    if (!(error instanceof AppError && error.code === ERRORS.notFound.code)) return formFailure(error, {});
  }
  if (signedOutHere) redirect("/login");
  revalidatePath(ACCOUNT_PATH);
  return formSuccess({});
}

/** Every session of the account ends, this one included. */
export async function signOutEverywhereAction(_previous: FormState<never>, _formData: FormData): Promise<FormState<never>> {
  try {
    const requestHeaders = await headers();
    assertSameSite(requestHeaders);
    const claims = await requireLiveUser();
    await logOutEverywhere(claims.sub, await clientMeta(requestHeaders));
    clearSessionCookies(await cookies());
  } catch (error) {
    return formFailure(error, {});
  }
  redirect("/login");
}
