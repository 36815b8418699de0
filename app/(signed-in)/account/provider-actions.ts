"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { requireRecentUser } from "@/lib/auth/dal";
import { configuredProvider } from "@/lib/auth/sso/configured-providers";
import { setSsoFlowCookie } from "@/lib/auth/sso/flow-cookie";
import { unlinkProvider } from "@/lib/auth/sso/link-provider";
import { beginProviderFlow } from "@/lib/auth/sso/provider-flow";
import { SsoError } from "@/lib/auth/sso/sso-error";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { AppError } from "@/lib/errors";
import { attemptFormAction, formSuccess, readFormFields } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";

const ACCOUNT_PATH = "/account";

/**
 * Off to the provider to prove this person holds an account there too. A
 * same-site POST (attemptFormAction's check), never a GET another site could
 * start; the flow cookie records who asked, and the callback checks that
 * their session is still live before it links anything.
 */
export async function linkProviderAction(_previous: FormState<never>, formData: FormData): Promise<FormState<never>> {
  const { provider: providerId } = readFormFields(formData, ["provider"]);
  let destination: URL | null = null;
  const failed = await attemptFormAction({}, async () => {
    const { live } = await requireRecentUser(ACCOUNT_PATH);
    const provider = configuredProvider(providerId ?? "");
    if (!provider) throw new AppError("notFound");
    try {
      const { url, flow } = await beginProviderFlow(provider, { next: ACCOUNT_PATH, link: { userId: live.userId, sessionId: live.id } });
      setSsoFlowCookie(await cookies(), flow);
      destination = url;
    } catch (error) {
      if (error instanceof SsoError) throw new AppError("unavailable", { message: error.message });
      throw error;
    }
  });
  if (failed) return failed;
  redirect(destination!.href);
}

/** Refused (409 last_sign_in_method) when it is the account's only way in. */
export async function unlinkProviderAction(_previous: FormState<never>, formData: FormData): Promise<FormState<never>> {
  const { identityId } = readFormFields(formData, ["identityId"]);
  const failed = await attemptFormAction({}, async (meta) => {
    const { live } = await requireRecentUser(ACCOUNT_PATH);
    if (!identityId || !/^[0-9a-f-]{36}$/.test(identityId)) throw new AppError("notFound");
    await unlinkProvider({ userId: live.userId, sessionId: live.id, identityId, meta });
    scheduleEmailDelivery();
  });
  if (failed) return failed;
  revalidatePath(ACCOUNT_PATH);
  return formSuccess({});
}
