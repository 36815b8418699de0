import { NextResponse } from "next/server";
import { auth } from "../../../lib/auth";

// The JSON twin of /dashboard: the same session check, answered as an API would.
export async function GET(request: Request): Promise<NextResponse> {
  const session = await auth.api.getSession({ headers: request.headers });
  if (!session) return NextResponse.json({ error: "unauthenticated" }, { status: 401, headers: { "Cache-Control": "no-store" } });
  return NextResponse.json({ user: session.user }, { headers: { "Cache-Control": "no-store" } });
}
