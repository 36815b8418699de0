import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { passkeys } from "@/db/schema";

/** What the owner sees of a passkey: never its key or credential id. */
export type PasskeyView = {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** "multiDevice": synced by a passkey provider (iCloud Keychain, Google Password Manager…); "singleDevice": bound to one authenticator. */
  deviceType: string;
  backedUp: boolean;
};

export const passkeyViewColumns = {
  id: passkeys.id,
  name: passkeys.name,
  createdAt: passkeys.createdAt,
  lastUsedAt: passkeys.lastUsedAt,
  deviceType: passkeys.deviceType,
  backedUp: passkeys.backedUp,
};

export function listPasskeys(db: Executor, userId: string): Promise<PasskeyView[]> {
  return db.select(passkeyViewColumns).from(passkeys).where(eq(passkeys.userId, userId)).orderBy(asc(passkeys.createdAt), asc(passkeys.id));
}

export function passkeyJson(passkey: PasskeyView) {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: passkey.createdAt.toISOString(),
    lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
    deviceType: passkey.deviceType,
    backedUp: passkey.backedUp,
  };
}
