"use server";

import { revalidatePath } from "next/cache";
import { requireLiveUser } from "@/lib/auth/dal";
import { saveNotificationPreferences } from "@/lib/auth/accounts/notification-preferences";
import { NotificationPreferencesInput } from "@/lib/auth/schemas";
import { attemptFormAction, formSuccess, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { validate } from "@/lib/http/read-json";

const NOTIFICATIONS_PATH = "/settings/notifications";

export type NotificationsField = "newDeviceSignIn";

/** Turning a security notice off is a change to the account: the session must be live. */
export async function saveNotificationsAction(
  _previous: FormState<NotificationsField>,
  formData: FormData,
): Promise<FormState<NotificationsField>> {
  const fields = readFormFields(formData, ["newDeviceSignIn"]);
  const failed = await attemptFormAction(fields, async (meta) => {
    const { claims } = await requireLiveUser(NOTIFICATIONS_PATH);
    const preferences = validate(NotificationPreferencesInput, fields);
    await saveNotificationPreferences({ userId: claims.sub, sessionId: claims.sid, preferences }, meta);
  });
  if (failed) return failed;
  revalidatePath(NOTIFICATIONS_PATH);
  return formSuccess(fields);
}
