import { NextResponse } from "next/server";
import { keyRing } from "@/lib/auth/edge/keys";
import { route } from "@/lib/http/respond";

// Every configured key is published, so a key can be added before it signs and
// kept until the last token it signed has expired (rotation without logouts).
export const GET = route(async () => {
  const { jwks } = await keyRing();
  return NextResponse.json(jwks, { headers: { "Cache-Control": "public, max-age=300, must-revalidate" } });
});
