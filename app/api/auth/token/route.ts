import { NextResponse, type NextRequest } from "next/server";
import { grantTokens } from "@/lib/auth/sessions/token-grant";
import { parseTokenRequest, TokenRequestBody } from "@/lib/auth/sessions/token-request";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { clientMeta } from "@/lib/http/client-meta";
import { readFormOrJson } from "@/lib/http/read-form-or-json";
import { route } from "@/lib/http/respond";

// Native and mobile clients only: no cookies in, none out, so no cross-site
// check (the contract exempts it; a cross-site page cannot read the answer).
export const POST = route(async (request: NextRequest) => {
  const grant = parseTokenRequest(await readFormOrJson(request, TokenRequestBody));
  const tokens = await grantTokens(grant, await clientMeta(request.headers));
  scheduleEmailDelivery(); // a sign-in (password or code) from a new device emails its owner
  return NextResponse.json(tokens, { headers: { "Cache-Control": "no-store", Pragma: "no-cache" } });
});
