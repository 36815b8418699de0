import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { recordSecurityEvent } from "@/lib/auth/events/security-events";
import { findLiveSession } from "@/lib/auth/sessions/session";
import type { SsoFlow } from "@/lib/auth/sso/flow-cookie";
import { providerName } from "@/lib/auth/sso/configured-providers";
import { countIdentities, deleteIdentity, findIdentityOwner, insertIdentity } from "@/lib/auth/sso/identities";
import type { ProviderIdentity } from "@/lib/auth/sso/provider-identity";
import type { SsoProvider } from "@/lib/auth/sso/providers";
import { SsoError } from "@/lib/auth/sso/sso-error";
import { enqueueEmail } from "@/lib/email/outbox";
import { providerLinkedEmail, providerUnlinkedEmail } from "@/lib/email/templates";
import { AppError } from "@/lib/errors";
import type { ClientMeta } from "@/lib/http/client-meta";

// Linking from /account: the signed-in owner proves they hold the provider
// account too, so its email address does not matter. Unlinking keeps a way
// in: an account without a password keeps its last provider.

/** `target`: who started the link, as the sealed flow cookie recorded; their session must still be live. */
export async function linkProvider(
  provider: SsoProvider,
  identity: ProviderIdentity,
  target: NonNullable<SsoFlow["link"]>,
  options: { meta: ClientMeta; now?: Date },
): Promise<void> {
  const now = options.now ?? new Date();
  const db = await getDb();
  const live = await findLiveSession(db, target.sessionId, now);
  if (!live || live.userId !== target.userId) throw new SsoError("link_session_ended");
  await db.transaction(async (tx) => {
    if (!(await insertIdentity(tx, { userId: live.userId, provider: provider.id, subject: identity.subject, email: identity.email, now }))) {
      const owner = await findIdentityOwner(tx, provider.id, identity.subject);
      if (owner?.id === live.userId) return;
      throw new SsoError("identity_taken");
    }
    await recordSecurityEvent(tx, { type: "provider_linked", userId: live.userId, sessionId: live.id, meta: options.meta, detail: { provider: provider.id, by: "account_page" }, now });
    await enqueueEmail(tx, providerLinkedEmail({ to: live.user.email, name: live.user.name, provider: provider.name }), now);
  });
}

export async function unlinkProvider(input: { userId: string; sessionId: string; identityId: string; meta: ClientMeta; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  const db = await getDb();
  await db.transaction(async (tx) => {
    // The row lock orders two unlinks at once, so both cannot each leave the other as the last way in.
    const [user] = await tx
      .select({ email: users.email, name: users.name, passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.id, input.userId))
      .for("update");
    if (!user) throw new AppError("notFound");
    if (!user.passwordHash && (await countIdentities(tx, input.userId)) <= 1) throw new AppError("lastSignInMethod");
    const provider = await deleteIdentity(tx, { userId: input.userId, identityId: input.identityId });
    if (!provider) throw new AppError("notFound");
    await recordSecurityEvent(tx, { type: "provider_unlinked", userId: input.userId, sessionId: input.sessionId, meta: input.meta, detail: { provider }, now });
    await enqueueEmail(tx, providerUnlinkedEmail({ to: user.email, name: user.name, provider: providerName(provider) }), now);
  });
}
