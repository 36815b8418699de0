"use server";

import { revalidatePath } from "next/cache";
import { changeUserRole } from "@/lib/admin/change-user-role";
import { endUserSessions } from "@/lib/admin/end-user-sessions";
import { resetSecondFactors } from "@/lib/admin/reset-second-factors";
import { UserIdSchema } from "@/lib/admin/schemas";
import { disableUser, enableUser } from "@/lib/admin/set-account-disabled";
import { revokeApiKey } from "@/lib/auth/api-keys/revoke-api-key";
import { ApiKeyIdParam } from "@/lib/auth/api-keys/schemas";
import { requireAdmin } from "@/lib/auth/dal";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { RoleSchema } from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import { attemptFormAction, formSuccess, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import type { ClientMeta } from "@/lib/http/client-meta";

// The buttons on /admin/users/[id]. Each calls the same lib/admin service as
// its route handler under /api/admin, after the same checks in the same order.

type Target = { actorId: string; userId: string };
type Operation = (target: Target, meta: ClientMeta, formData: FormData) => Promise<unknown>;

/**
 * Cross-site check first (docs/decisions/0005), then which user, then an admin
 * by the database for a live session. The page is rendered again afterwards,
 * so it shows the account as it now is.
 */
async function onUser(formData: FormData, operation: Operation): Promise<FormState<never>> {
  const { userId } = readFormFields(formData, ["userId"]);
  let path = "";
  const failed = await attemptFormAction({}, async (meta) => {
    const id = UserIdSchema.safeParse(userId);
    if (!id.success) throw new AppError("notFound", { message: "No user has that id." });
    path = `/admin/users/${id.data}`;
    const { claims } = await requireAdmin(path);
    await operation({ actorId: claims.sub, userId: id.data }, meta, formData);
  });
  if (failed) return failed;
  revalidatePath(path);
  return formSuccess({});
}

export async function endUserSessionsAction(_previous: FormState<never>, formData: FormData): Promise<FormState<never>> {
  return onUser(formData, (target, meta) => endUserSessions(target, meta));
}

export async function disableUserAction(_previous: FormState<never>, formData: FormData): Promise<FormState<never>> {
  return onUser(formData, (target, meta) => disableUser(target, meta));
}

/** As DELETE /api/admin/users/:id/second-factors: the owner is emailed. */
export async function resetSecondFactorsAction(_previous: FormState<never>, formData: FormData): Promise<FormState<never>> {
  return onUser(formData, async (target, meta) => {
    await resetSecondFactors(target, meta);
    scheduleEmailDelivery();
  });
}

export async function enableUserAction(_previous: FormState<never>, formData: FormData): Promise<FormState<never>> {
  return onUser(formData, (target, meta) => enableUser(target, meta));
}

/** As DELETE /api/admin/users/:id/api-keys/:keyId: the owner is emailed. */
export async function revokeUserApiKeyAction(_previous: FormState<never>, formData: FormData): Promise<FormState<never>> {
  return onUser(formData, async (target, meta) => {
    const keyId = ApiKeyIdParam.safeParse(readFormFields(formData, ["keyId"]).keyId);
    if (!keyId.success) throw new AppError("notFound");
    await revokeApiKey({ userId: target.userId, keyId: keyId.data, actorId: target.actorId, sessionId: null, meta });
    scheduleEmailDelivery();
  });
}

export async function changeRoleAction(_previous: FormState<never>, formData: FormData): Promise<FormState<never>> {
  return onUser(formData, (target, meta) => {
    const role = RoleSchema.safeParse(readFormFields(formData, ["role"]).role);
    if (!role.success) throw new AppError("invalidRequest", { message: role.error.issues[0]?.message });
    return changeUserRole({ ...target, role: role.data }, meta);
  });
}
