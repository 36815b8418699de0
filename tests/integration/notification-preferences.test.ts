import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { readNotificationPreferences, saveNotificationPreferences } from "@/lib/auth/accounts/notification-preferences";
import { NotificationPreferencesInput } from "@/lib/auth/schemas";
import { listAccountActivity } from "@/lib/auth/events/security-activity";
import { AppError } from "@/lib/errors";
import { validate } from "@/lib/http/read-json";
import { createUser } from "../support/fixtures";

// The choice /settings/notifications saves; tests/integration/login.test.ts
// shows the new-device notice honouring it.

const META = { ip: "203.0.113.5", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36" };

describe("notification preferences", () => {
  it("start on; a change is saved and shows in the account's activity, saving it again records nothing", async () => {
    const ada = await createUser("ada@example.com");
    const db = await getDb();
    expect(await readNotificationPreferences(db, ada.id)).toEqual({ newDeviceSignIn: true });

    const save = (newDeviceSignIn: boolean) =>
      saveNotificationPreferences({ userId: ada.id, sessionId: crypto.randomUUID(), preferences: { newDeviceSignIn } }, META);
    await save(false);
    await save(false);
    expect(await readNotificationPreferences(db, ada.id)).toEqual({ newDeviceSignIn: false });
    await save(true);
    expect(await readNotificationPreferences(db, ada.id)).toEqual({ newDeviceSignIn: true });

    const activity = await listAccountActivity(ada.id);
    expect(activity.map((event) => event.description)).toEqual(["New-device sign-in emails turned on", "New-device sign-in emails turned off"]);
    expect(activity[1]).toMatchObject({ ip: META.ip, userAgent: META.userAgent });
  });

  it("touch no one else's row", async () => {
    const ada = await createUser("ada@example.com");
    const bob = await createUser("bob@example.com");
    await saveNotificationPreferences({ userId: ada.id, sessionId: crypto.randomUUID(), preferences: { newDeviceSignIn: false } }, META);
    expect(await readNotificationPreferences(await getDb(), bob.id)).toEqual({ newDeviceSignIn: true });
    expect(await readNotificationPreferences(await getDb(), crypto.randomUUID())).toBeNull();
  });

  it("read the form as a browser sends it: a ticked box is on, an absent one off, anything else a field error", () => {
    expect(validate(NotificationPreferencesInput, { newDeviceSignIn: "on" })).toEqual({ newDeviceSignIn: true });
    expect(validate(NotificationPreferencesInput, {})).toEqual({ newDeviceSignIn: false });
    const refused = (() => {
      try {
        validate(NotificationPreferencesInput, { newDeviceSignIn: "yes" });
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).fields).toEqual({ newDeviceSignIn: "Tick the box or leave it empty." });
  });
});
