import { z } from "zod";
import type { Executor } from "@/db/client";
import { appSettings } from "@/db/schema";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import type { ClientMeta } from "@/lib/http/client-meta";

// Settings administrators change at run time (/admin/settings). They live in
// the database, so every instance reads the same value at once; a row that is
// absent or does not parse falls back to the default.

const SETTINGS = {
  /** Admin rights only in a session that was opened or stepped up with a second factor (docs/decisions/0036). */
  requireAdminSecondFactor: { schema: z.boolean(), default: false },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type AppSettings = { [K in SettingKey]: z.infer<(typeof SETTINGS)[K]["schema"]> };

export async function readAppSettings(db: Executor): Promise<AppSettings> {
  const rows = await db.select({ key: appSettings.key, value: appSettings.value }).from(appSettings);
  const settings = Object.fromEntries(Object.entries(SETTINGS).map(([key, spec]) => [key, spec.default])) as AppSettings;
  for (const row of rows) {
    if (!(row.key in SETTINGS)) continue;
    const key = row.key as SettingKey;
    const parsed = SETTINGS[key].schema.safeParse(row.value);
    if (parsed.success) settings[key] = parsed.data;
  }
  return settings;
}

export async function writeAppSetting<K extends SettingKey>(
  db: Executor,
  input: { key: K; value: AppSettings[K]; actorId: string; meta: ClientMeta; now: Date },
): Promise<void> {
  await db
    .insert(appSettings)
    .values({ key: input.key, value: input.value, updatedAt: input.now, updatedBy: input.actorId })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: input.value, updatedAt: input.now, updatedBy: input.actorId } });
  await recordSecurityEvent(db, {
    type: "setting_changed",
    userId: input.actorId,
    meta: input.meta,
    detail: { key: input.key, value: input.value, actorId: input.actorId },
    now: input.now,
  });
}
