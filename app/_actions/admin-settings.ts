"use server";

import { revalidatePath } from "next/cache";
import { setRequireAdminSecondFactor } from "@/lib/admin/admin-second-factor-policy";
import { requireAdmin } from "@/lib/auth/dal";
import { attemptFormAction, formSuccess, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";

const SETTINGS_PATH = "/admin/settings";

/** As PUT /api/admin/settings. */
export async function setRequireAdminSecondFactorAction(_previous: FormState<never>, formData: FormData): Promise<FormState<never>> {
  const { value } = readFormFields(formData, ["value"]);
  const failed = await attemptFormAction({}, async (meta) => {
    const { claims, live } = await requireAdmin(SETTINGS_PATH);
    await setRequireAdminSecondFactor({ actorId: claims.sub, actorHasSecondFactor: live.twoFactor, value: value === "true" }, meta);
  });
  if (failed) return failed;
  revalidatePath(SETTINGS_PATH);
  return formSuccess({});
}
