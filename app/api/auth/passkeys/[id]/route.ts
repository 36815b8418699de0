import { NextResponse, type NextRequest } from "next/server";
import { authenticateLive } from "@/lib/auth/dal";
import { removePasskey, renamePasskey } from "@/lib/auth/passkeys/manage-passkeys";
import { passkeyJson } from "@/lib/auth/passkeys/passkey-view";
import { PasskeyIdParam, RenamePasskeyInput } from "@/lib/auth/passkeys/schemas";
import { requireRecentAuthentication } from "@/lib/auth/step-up/recent-authentication";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { AppError } from "@/lib/errors";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

type Context = { params: Promise<{ id: string }> };

async function passkeyId(context: Context): Promise<string> {
  const id = PasskeyIdParam.safeParse((await context.params).id);
  if (!id.success) throw new AppError("notFound");
  return id.data;
}

/** PATCH /api/auth/passkeys/:id {name} — 404 when it is not the caller's. */
export const PATCH = route(async (request: NextRequest, context: Context) => {
  assertSameSite(request.headers);
  const { live } = await authenticateLive(request);
  const id = await passkeyId(context);
  const { name } = await readJson(request, RenamePasskeyInput);
  const passkey = await renamePasskey({ userId: live.userId, passkeyId: id, name });
  return NextResponse.json({ passkey: passkeyJson(passkey) }, { headers: { "Cache-Control": "no-store" } });
});

/** DELETE /api/auth/passkeys/:id — 204 after a recent authentication; 404 when it is not the caller's. */
export const DELETE = route(async (request: NextRequest, context: Context) => {
  assertSameSite(request.headers);
  const { live } = await authenticateLive(request);
  requireRecentAuthentication(live);
  const id = await passkeyId(context);
  await removePasskey({ user: live.user, passkeyId: id, sessionId: live.id, meta: await clientMeta(request.headers), now: new Date() });
  scheduleEmailDelivery();
  return new NextResponse(null, { status: 204 });
});
