import autocannon from "autocannon";
import { measureCpu } from "../lib/cpu";
import { cookieHeader, type Cookies } from "../lib/http";
import { cpuCell, fmt, type SectionResult, type Target } from "../lib/markdown";
import type { BenchOptions } from "../lib/options";
import { ratioSpread, rotated, spread, type Spread } from "../lib/stats";

// Section 2: what people feel. A public page, a protected page, a protected
// API call and the sign-in redirect, asked over HTTP of Doorman on each
// database and of the peer apps, all in the same rounds, so every ratio is
// taken side by side.

const CONNECTIONS = 10;

/**
 * An app that serves the four requests; `session` is what its signed-in
 * browser sends. `renew` signs in again before each round, for a peer whose
 * cached session cookie goes stale while a load generator replays it.
 */
export type PageApp = {
  label: string;
  origin: string;
  pid: number;
  session: Cookies;
  /** Doorman only: an API key (`me:read`) of the same user, for `GET /api/me` with `Authorization: Bearer dmn_…`. */
  apiKey?: string;
  doorman: boolean;
  renew?: () => Promise<Cookies>;
};

type RequestKind = "public" | "publicSignedIn" | "protected" | "api" | "apiKey" | "redirect";

const REQUESTS: Record<RequestKind, { path: string; signedIn: boolean; title: string }> = {
  public: { path: "/", signedIn: false, title: "`/` anonymous (public)" },
  publicSignedIn: { path: "/", signedIn: true, title: "`/` signed in" },
  protected: { path: "/dashboard", signedIn: true, title: "`/dashboard` signed in" },
  api: { path: "/api/me", signedIn: true, title: "`GET /api/me` signed in" },
  apiKey: { path: "/api/me", signedIn: false, title: "`GET /api/me` with an API key" },
  redirect: { path: "/dashboard", signedIn: false, title: "`/dashboard` anonymous: the redirect to sign in" },
};

type Scenario = { app: PageApp; kind: RequestKind };

type Run = { perSecond: number; p50: number; p99: number; unexpected: number; serverCpuMs: number | null };

async function cannon({ app, kind }: Scenario, seconds: number): Promise<Run> {
  const { path, signedIn } = REQUESTS[kind];
  const { result, cpu } = await measureCpu([app.pid], () =>
    autocannon({
      url: `${app.origin}${path}`,
      connections: CONNECTIONS,
      duration: seconds,
      headers: kind === "apiKey" ? { authorization: `Bearer ${app.apiKey}` } : signedIn ? { cookie: cookieHeader(app.session) } : {},
    }),
  );
  // A redirect is the answer asked for there; anywhere else only a 2xx counts.
  const expected = kind === "redirect" ? result["3xx"] : result["2xx"];
  return {
    serverCpuMs: cpu.serverMs === null ? null : cpu.serverMs / Math.max(1, result.requests.total),
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    unexpected: result.requests.total - expected + result.errors + result.timeouts,
  };
}

export async function benchPages(options: BenchOptions, apps: PageApp[], missing: string[]): Promise<SectionResult> {
  const scenarios: Scenario[] = apps.flatMap((app) =>
    (Object.keys(REQUESTS) as RequestKind[])
      .filter((kind) => (kind === "apiKey" ? app.apiKey !== undefined : app.doorman || kind !== "publicSignedIn"))
      .map((kind) => ({ app, kind })),
  );
  // A short warm-up per scenario: the first requests compile and cache.
  for (const scenario of scenarios) await cannon(scenario, 0.5);
  const runs = new Map<Scenario, Run[]>(scenarios.map((s) => [s, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const app of apps) if (app.renew) app.session = await app.renew();
    for (const scenario of rotated(scenarios, round)) runs.get(scenario)!.push(await cannon(scenario, options.httpSeconds));
  }

  const rps = (app: PageApp, kind: RequestKind) => runs.get(scenarios.find((s) => s.app === app && s.kind === kind)!)!.map((r) => r.perSecond);
  const doormans = apps.filter((app) => app.doorman);
  const peers = apps.filter((app) => !app.doorman);
  const postgres = doormans.find((app) => app.label.includes("PostgreSQL"));
  const cacheOff = peers.find((app) => app.label.includes("cache off"));
  const bad = [...runs.values()].flat().reduce((sum, r) => sum + r.unexpected, 0);

  const target = (what: string, goal: number, measured: Spread): Target => ({
    what,
    goal: `≥ ${goal}x`,
    measured: fmt(measured, 2, "x"),
    met: measured.median >= goal,
  });
  const targets: Target[] = [
    ...doormans.map((app) => target(`\`/dashboard\` signed in vs \`/\` anonymous, ${app.label}`, 0.8, ratioSpread(rps(app, "protected"), rps(app, "public")))),
    ...doormans.map((app) => target(`\`/\` signed in vs anonymous, ${app.label}`, 0.95, ratioSpread(rps(app, "publicSignedIn"), rps(app, "public")))),
    // A key costs its read (key and owner, prepared) and a rate-limit upsert where a session costs one liveness read.
    ...doormans
      .filter((app) => app.apiKey !== undefined)
      .map((app) => target(`\`GET /api/me\` with an API key vs with the access JWT, ${app.label}`, 0.75, ratioSpread(rps(app, "apiKey"), rps(app, "api")))),
  ];
  if (postgres && cacheOff) {
    const api = ratioSpread(rps(postgres, "api"), rps(cacheOff, "api"));
    targets.push(
      target(`\`GET /api/me\`, ${postgres.label} vs ${cacheOff.label} (both read the session on every request)`, 1.0, api),
      target(`\`GET /api/me\`, ${postgres.label} vs ${cacheOff.label}: the aim`, 1.5, api),
      target(`sign-in redirect (middleware only), ${postgres.label} vs ${cacheOff.label}`, 0.8, ratioSpread(rps(postgres, "redirect"), rps(cacheOff, "redirect"))),
    );
  }

  return {
    title: "2. Pages and API calls over HTTP (`next start`)",
    method:
      `autocannon, ${CONNECTIONS} connections, ${options.httpSeconds} s per scenario and round, ${options.rounds} rounds ` +
      "with the order rotated, every app and request in the same rounds. Signed in means the cookies a browser holds " +
      "after signing in; for Doorman a valid access JWT and the refresh cookie, so the middleware verifies and never refreshes.",
    tables: [
      {
        headers: ["app", "request", "req/s", "p50 ms", "p99 ms", "x own `/` anonymous", `x ${peers[0]?.label ?? "peer"}`, "app CPU ms per request"],
        rows: scenarios.map(({ app, kind }) => {
          const own = runs.get(scenarios.find((s) => s.app === app && s.kind === kind)!)!;
          const perSecond = own.map((r) => r.perSecond);
          const peer = peers[0];
          return [
            app.label,
            REQUESTS[kind].title,
            fmt(spread(perSecond)),
            fmt(spread(own.map((r) => r.p50)), 1),
            fmt(spread(own.map((r) => r.p99)), 1),
            fmt(ratioSpread(perSecond, rps(app, "public")), 2),
            peer && kind !== "publicSignedIn" && kind !== "apiKey" ? fmt(ratioSpread(perSecond, rps(peer, kind)), 2) : "–",
            cpuCell(own.map((r) => r.serverCpuMs)),
          ];
        }),
      },
    ],
    targets,
    notes: [
      "Doorman's pages are product pages (top bar, panels, styles); the peers' pages are minimal. Compare a page with its " +
        "own app's `/`; `GET /api/me` and the redirect do the same work in every app and compare across apps.",
      "Doorman's `/dashboard` and `/api/me` each read the session's liveness in the database (one query), so a session " +
        "ended elsewhere is refused on its next request; `/` reads nothing (docs/decisions/0013).",
      "`GET /api/me` with an API key (`Authorization: Bearer dmn_…`, no cookie): the key and its owner in one prepared read, " +
        "the key's rate-limit upsert (its limit raised out of reach for the run), and last-used written once a minute " +
        "(docs/decisions/0035); beside the same user's access JWT.",
      ...missing,
      ...(bad > 0 ? [`**${bad} requests got another answer than the one asked for, or failed** (see the run's output).`] : []),
    ],
  };
}
