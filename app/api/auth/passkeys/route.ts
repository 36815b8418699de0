import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { authenticateBrowser, authenticateLive } from "@/lib/auth/dal";
import { clearCeremonyCookie, readCeremonyCookie } from "@/lib/auth/passkeys/ceremony-cookie";
import { listPasskeys, passkeyJson } from "@/lib/auth/passkeys/passkey-view";
import { addPasskey } from "@/lib/auth/passkeys/register-passkey";
import { AddPasskeyInput } from "@/lib/auth/passkeys/schemas";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/**
 * POST /api/auth/passkeys — finishes the registration this browser and
 * session started (registration-options, which asked for the step-up).
 */
export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { live } = await authenticateBrowser(request);
  const input = await readJson(request, AddPasskeyInput);
  const passkey = await addPasskey({
    user: live.user,
    sessionId: live.id,
    challengeId: readCeremonyCookie(request.cookies, "register"),
    name: input.name,
    response: input.response,
    meta: await clientMeta(request.headers),
    now: new Date(),
  });
  scheduleEmailDelivery();
  const response = NextResponse.json({ passkey: passkeyJson(passkey) }, { status: 201, headers: { "Cache-Control": "no-store" } });
  clearCeremonyCookie(response.cookies);
  return response;
});

/** GET /api/auth/passkeys — the caller's passkeys; never a key or credential id. */
export const GET = route(async (request: NextRequest) => {
  const { live } = await authenticateLive(request);
  const passkeys = await listPasskeys(await getDb(), live.userId);
  return NextResponse.json({ passkeys: passkeys.map(passkeyJson) }, { headers: { "Cache-Control": "no-store" } });
});
