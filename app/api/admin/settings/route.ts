import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { setRequireAdminSecondFactor } from "@/lib/admin/admin-second-factor-policy";
import { readAppSettings } from "@/lib/admin/app-settings";
import { SettingsInput } from "@/lib/admin/schemas";
import { authorize } from "@/lib/auth/dal";
import { hasSecondFactor, signInMethods } from "@/lib/auth/step-up/sign-in-methods";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

const NO_STORE = { "Cache-Control": "no-store" };

/** GET /api/admin/settings — 200 `{settings}`. */
export const GET = route(async (request: NextRequest) => {
  await authorize(request, "admin:read");
  return NextResponse.json({ settings: await readAppSettings(await getDb()) }, { headers: NO_STORE });
});

/**
 * PUT /api/admin/settings — `{requireAdminSecondFactor}`; 200 `{settings}`.
 * A session must itself be two-factor to switch the policy on; an API key
 * (no session) needs its owner to have a second factor.
 */
export const PUT = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const admin = await authorize(request, "admin:write");
  const input = await readJson(request, SettingsInput);
  const actorHasSecondFactor = admin.session ? admin.session.twoFactor : hasSecondFactor(await signInMethods(await getDb(), admin.userId));
  const settings = await setRequireAdminSecondFactor(
    { actorId: admin.userId, actorHasSecondFactor, value: input.requireAdminSecondFactor },
    await clientMeta(request.headers),
  );
  return NextResponse.json({ settings }, { headers: NO_STORE });
});
