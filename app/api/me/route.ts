import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { authenticate } from "@/lib/auth/dal";
import { findPublicUser } from "@/lib/auth/users";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/respond";

export const GET = route(async (request: NextRequest) => {
  const claims = await authenticate(request);
  const user = await findPublicUser(await getDb(), claims.sub);
  if (!user) throw new AppError("unauthenticated");
  return NextResponse.json({ user }, { headers: { "Cache-Control": "no-store" } });
});
