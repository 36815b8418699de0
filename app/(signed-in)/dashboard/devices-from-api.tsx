import { Detail, DetailList, Panel } from "@/app/_components/panel";
import { callApi } from "@/lib/auth/call-api";

type SessionsBody = { sessions: { id: string; current: boolean }[] };

/**
 * The BFF pattern in one panel: this Server Component calls Doorman's own
 * GET /api/auth/sessions with the user's access token as Bearer. A separate
 * backend listed in DOWNSTREAM_API_ORIGINS is called the same way, with a
 * token minted for that backend instead (lib/auth/call-api.ts).
 */
export async function DevicesFromApi() {
  // Bounded, so a slow database delays the page by at most this much.
  const response = await callApi("/api/auth/sessions", { signal: AbortSignal.timeout(1500) }).catch(() => null);
  const body = response?.ok ? ((await response.json()) as SessionsBody) : null;
  return (
    <Panel title="From the API" description="Fetched on the server from GET /api/auth/sessions, with your access token as Bearer.">
      <DetailList>
        <Detail term="Signed-in devices">
          {body ? <span data-testid="api-device-count">{body.sessions.length}</span> : <span className="text-zinc-500">Unavailable right now.</span>}
        </Detail>
        <Detail term="Answer">{response ? `HTTP ${response.status}` : "No answer"}</Detail>
      </DetailList>
    </Panel>
  );
}
