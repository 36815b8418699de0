import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { authenticate, requireLiveSession } from "@/lib/auth/dal";
import { findPublicUser } from "@/lib/auth/users";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/respond";

export const GET = route(async (request: NextRequest) => {
  const claims = await authenticate(request);
  const session = await requireLiveSession(claims);
  const user = await findPublicUser(await getDb(), claims.sub);
  if (!user) throw new AppError("invalidSession");
  return NextResponse.json(
    { user, session: { id: session.id, expiresAt: session.expiresAt.toISOString() } },
    { headers: { "Cache-Control": "no-store" } },
  );
});
