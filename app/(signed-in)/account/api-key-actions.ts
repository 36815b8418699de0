"use server";

import { revalidatePath } from "next/cache";
import { createApiKey } from "@/lib/auth/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/auth/api-keys/revoke-api-key";
import { ApiKeyIdParam, CreateApiKeyInput } from "@/lib/auth/api-keys/schemas";
import { requireRecentUser } from "@/lib/auth/dal";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { AppError, ERRORS } from "@/lib/errors";
import { attemptFormAction, formSuccess, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { validate } from "@/lib/http/read-json";

// /account's API keys: the same services as POST and DELETE /api/auth/api-keys.

const ACCOUNT_PATH = "/account";

export type CreateApiKeyField = "name" | "scopes" | "expiresInDays";
/** The form's state; `created` carries the new key to this one answer, and nowhere else. */
export type CreateApiKeyState = FormState<CreateApiKeyField> & { created: { name: string; key: string } | null };

export async function createApiKeyAction(_previous: CreateApiKeyState, formData: FormData): Promise<CreateApiKeyState> {
  const fields = readFormFields(formData, ["name", "expiresInDays"]);
  const lifetime = fields.expiresInDays;
  const scopes = formData.getAll("scopes").filter((value) => typeof value === "string");
  let created: CreateApiKeyState["created"] = null;
  // The scopes ticked go back too (comma-joined), so a refused form (a step-up asked for, say) comes back as it was sent.
  const failed = await attemptFormAction({ ...fields, scopes: scopes.join(",") }, async (meta) => {
    const { live } = await requireRecentUser(ACCOUNT_PATH);
    const input = validate(CreateApiKeyInput, {
      name: fields.name ?? "",
      scopes,
      expiresInDays: lifetime === "none" ? null : lifetime === undefined ? undefined : Number(lifetime),
    });
    const result = await createApiKey({ owner: live.user, sessionId: live.id, meta, ...input });
    created = { name: result.apiKey.name, key: result.key };
    scheduleEmailDelivery();
  });
  if (failed) return { ...failed, created: null };
  revalidatePath(ACCOUNT_PATH);
  return { ...formSuccess({}), created };
}

export async function revokeApiKeyAction(_previous: FormState<never>, formData: FormData): Promise<FormState<never>> {
  const { keyId } = readFormFields(formData, ["keyId"]);
  const failed = await attemptFormAction({}, async (meta) => {
    const { live } = await requireRecentUser(ACCOUNT_PATH);
    const id = ApiKeyIdParam.safeParse(keyId);
    if (!id.success) throw new AppError("notFound");
    await revokeApiKey({ userId: live.userId, keyId: id.data, sessionId: live.id, meta });
    scheduleEmailDelivery();
  });
  // Not found: revoked already (another tab) or never ours; the list as it is says enough.
  if (failed && failed.formError?.code !== ERRORS.notFound.code) return failed;
  revalidatePath(ACCOUNT_PATH);
  return formSuccess({});
}
