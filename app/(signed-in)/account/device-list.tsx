import { signOutDeviceAction } from "@/app/(signed-in)/account/actions";
import { ActionButton } from "@/app/_components/action-button";
import { SessionList } from "@/app/_components/session-list";
import type { DeviceSession } from "@/lib/auth/sessions/devices";

/** The owner's own devices, each with its "Sign out" button. */
export function DeviceList({ devices }: { devices: DeviceSession[] }) {
  return (
    <SessionList
      sessions={devices}
      label="Signed-in devices"
      action={(device, name) => (
        <ActionButton action={signOutDeviceAction} hidden={{ sessionId: device.id }} label={`Sign out ${name}`} pendingLabel="Signing out…">
          Sign out
        </ActionButton>
      )}
    />
  );
}
