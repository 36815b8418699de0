import { sql } from "drizzle-orm";
import { executeRows, getDb } from "@/db/client";
import { readAppSettings, writeAppSetting, type AppSettings } from "@/lib/admin/app-settings";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";

/**
 * "Require a second factor for every admin account" (docs/decisions/0036).
 * Only an admin who is using a second factor may switch it on: anyone else
 * would lock themselves out of the console the moment they did. Switching it
 * off again is allowed to any admin who passed the checks to get here.
 */
export async function setRequireAdminSecondFactor(
  input: { actorId: string; actorHasSecondFactor: boolean; value: boolean },
  meta: ClientMeta,
  now = new Date(),
): Promise<AppSettings> {
  if (input.value && !input.actorHasSecondFactor) {
    throw new AppError("adminSecondFactorRequired", {
      message: "Sign in with a second factor yourself before you require one of every admin, or you would lock yourself out.",
    });
  }
  const db = await getDb();
  return db.transaction(async (tx) => {
    const current = await readAppSettings(tx);
    if (current.requireAdminSecondFactor !== input.value) {
      await writeAppSetting(tx, { key: "requireAdminSecondFactor", value: input.value, actorId: input.actorId, meta, now });
    }
    return { ...current, requireAdminSecondFactor: input.value };
  });
}

/** Enabled admins with neither a confirmed authenticator app nor a passkey: who the policy would hold back. */
export async function adminsWithoutSecondFactor(): Promise<{ id: string; email: string }[]> {
  return executeRows<{ id: string; email: string }>(
    await getDb(),
    sql`select u.id, u.email from users u
      where u.role = 'admin' and u.disabled_at is null
        and not exists (select 1 from totp_factors t where t.user_id = u.id and t.confirmed_at is not null)
        and not exists (select 1 from passkeys p where p.user_id = u.id)
      order by u.email`,
  );
}
