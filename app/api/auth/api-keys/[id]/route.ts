import { NextResponse, type NextRequest } from "next/server";
import { revokeApiKey } from "@/lib/auth/api-keys/revoke-api-key";
import { ApiKeyIdParam } from "@/lib/auth/api-keys/schemas";
import { authenticateRecent } from "@/lib/auth/dal";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { AppError } from "@/lib/errors";
import { clientMeta } from "@/lib/http/client-meta";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/** DELETE /api/auth/api-keys/:id — 204; 404 when it is not the caller's (or already revoked). */
export const DELETE = route(async (request: NextRequest, context: { params: Promise<{ id: string }> }) => {
  assertSameSite(request.headers);
  const { live } = await authenticateRecent(request);
  const id = ApiKeyIdParam.safeParse((await context.params).id);
  if (!id.success) throw new AppError("notFound");
  await revokeApiKey({ userId: live.userId, keyId: id.data, sessionId: live.id, meta: await clientMeta(request.headers) });
  scheduleEmailDelivery();
  return new NextResponse(null, { status: 204 });
});
