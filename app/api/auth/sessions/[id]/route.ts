import { NextResponse, type NextRequest } from "next/server";
import { authorize } from "@/lib/auth/dal";
import { revokeOwnSession } from "@/lib/auth/sessions/devices";
import { SessionIdParam } from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import { clientMeta } from "@/lib/http/client-meta";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

export const DELETE = route(async (request: NextRequest, context: { params: Promise<{ id: string }> }) => {
  assertSameSite(request.headers);
  const caller = await authorize(request, "sessions:write");
  const id = SessionIdParam.safeParse((await context.params).id);
  if (!id.success) throw new AppError("notFound");
  await revokeOwnSession({ userId: caller.userId, sessionId: id.data }, await clientMeta(request.headers));
  return new NextResponse(null, { status: 204 });
});
