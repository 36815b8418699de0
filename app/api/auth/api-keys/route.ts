import { NextResponse, type NextRequest } from "next/server";
import { apiKeyJson } from "@/lib/auth/api-keys/api-key-view";
import { createApiKey } from "@/lib/auth/api-keys/create-api-key";
import { listApiKeys } from "@/lib/auth/api-keys/list-api-keys";
import { CreateApiKeyInput } from "@/lib/auth/api-keys/schemas";
import { authenticateBrowser, authenticateLive } from "@/lib/auth/dal";
import { getDb } from "@/db/client";
import { requireRecentAuthentication } from "@/lib/auth/step-up/recent-authentication";
import { scheduleEmailDelivery } from "@/lib/email/schedule-delivery";
import { clientMeta } from "@/lib/http/client-meta";
import { readJson } from "@/lib/http/read-json";
import { route } from "@/lib/http/respond";
import { assertSameSite } from "@/lib/http/same-site";

/** POST /api/auth/api-keys — browser session only; the key is in this answer and never again. */
export const POST = route(async (request: NextRequest) => {
  assertSameSite(request.headers);
  const { live } = await authenticateBrowser(request);
  requireRecentAuthentication(live);
  const input = await readJson(request, CreateApiKeyInput);
  const created = await createApiKey({ owner: live.user, sessionId: live.id, meta: await clientMeta(request.headers), ...input });
  scheduleEmailDelivery();
  return NextResponse.json({ apiKey: apiKeyJson(created.apiKey), key: created.key }, { status: 201, headers: { "Cache-Control": "no-store" } });
});

/** GET /api/auth/api-keys — a session (cookie or Bearer access token); never the keys themselves. */
export const GET = route(async (request: NextRequest) => {
  const { live } = await authenticateLive(request);
  const apiKeys = await listApiKeys(await getDb(), live.userId);
  return NextResponse.json({ apiKeys: apiKeys.map(apiKeyJson) }, { headers: { "Cache-Control": "no-store" } });
});
