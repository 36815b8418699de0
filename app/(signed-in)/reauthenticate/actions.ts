"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { requireLiveUser } from "@/lib/auth/dal";
import { readDeviceCookie } from "@/lib/auth/sessions/device-cookie";
import { reauthenticate, stepUpProof } from "@/lib/auth/step-up/reauthenticate";
import { ReauthenticateFormInput } from "@/lib/auth/step-up/schemas";
import { attemptFormAction, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { validate } from "@/lib/http/read-json";
import { safeNextPath } from "@/lib/http/safe-redirect";

export type ReauthenticateField = "password" | "code";

/** The page form of POST /api/auth/reauthenticate: then back to where the person was. */
export async function reauthenticateAction(_previous: FormState<ReauthenticateField>, formData: FormData): Promise<FormState<ReauthenticateField>> {
  const fields = readFormFields(formData, ["password", "code", "next"]);
  const next = safeNextPath(fields.next, "/account");
  const failed = await attemptFormAction({}, async (meta) => {
    const { live } = await requireLiveUser(`/reauthenticate?next=${encodeURIComponent(next)}`);
    const input = validate(ReauthenticateFormInput, { password: fields.password, code: fields.code });
    const proof = stepUpProof(input, { deviceCookie: readDeviceCookie(await cookies()), passkeyChallengeId: null });
    await reauthenticate({ userId: live.userId, sessionId: live.id, proof, meta });
  });
  if (failed) return failed;
  redirect(next);
}
