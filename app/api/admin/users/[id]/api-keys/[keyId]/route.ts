import { NextResponse, type NextRequest } from "next/server";
import { UserIdSchema } from "@/lib/admin/schemas";
import { revokeApiKey } from "@/lib/auth/api-keys/revoke-api-key";
import { ApiKeyIdParam } from "@/lib/auth/api-keys/schemas";
import { authorize } from "@/lib/auth/dal";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { AppError } from "@/lib/errors";
import { clientMeta } from "@/lib/http/client-meta";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/** DELETE /api/admin/users/:id/api-keys/:keyId — revokes one of the user's keys (the owner is emailed); 404 when it is not theirs. */
export const DELETE = route(async (request: NextRequest, context: { params: Promise<{ id: string; keyId: string }> }) => {
  assertSameSite(request.headers);
  const admin = await authorize(request, "admin:write");
  const params = await context.params;
  const userId = UserIdSchema.safeParse(params.id);
  if (!userId.success) throw new AppError("invalidRequest", { fields: { id: "That is not a user id." } });
  const keyId = ApiKeyIdParam.safeParse(params.keyId);
  if (!keyId.success) throw new AppError("notFound");
  await revokeApiKey({
    userId: userId.data,
    keyId: keyId.data,
    actorId: admin.userId,
    sessionId: admin.session?.id ?? null,
    meta: await clientMeta(request.headers),
  });
  scheduleEmailDelivery();
  return new NextResponse(null, { status: 204 });
});
