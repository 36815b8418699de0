import autocannon from "autocannon";
import type { AppProcess } from "../../scripts/lib/app-process";
import { measureCpu } from "../lib/cpu";
import { cookieHeader, type Cookies } from "../lib/http";
import { cpuCell, fmt, type SectionResult } from "../lib/markdown";
import type { BenchOptions } from "../lib/options";
import { ratioSpread, rotated, spread } from "../lib/stats";

// Section 2: what the middleware's check costs a real request, on
// `next start` (server.mjs), measured by autocannon from this process.

const CONNECTIONS = 10;

type Scenario = { name: string; path: string; signedIn: boolean };

const SCENARIOS: Scenario[] = [
  { name: "`/` anonymous (public)", path: "/", signedIn: false },
  { name: "`/` signed in (valid JWT)", path: "/", signedIn: true },
  { name: "`/.well-known/jwks.json` anonymous", path: "/.well-known/jwks.json", signedIn: false },
  { name: "`/.well-known/jwks.json` signed in", path: "/.well-known/jwks.json", signedIn: true },
];

type Run = { perSecond: number; p50: number; p99: number; non2xx: number; errors: number; serverCpuMs: number | null };

async function cannon(app: AppProcess, path: string, seconds: number, cookies: Cookies | null): Promise<Run> {
  const { result, cpu } = await measureCpu([app.pid], () =>
    autocannon({
      url: `${app.origin}${path}`,
      connections: CONNECTIONS,
      duration: seconds,
      headers: cookies ? { cookie: cookieHeader(cookies) } : {},
    }),
  );
  return {
    serverCpuMs: cpu.serverMs === null ? null : cpu.serverMs / Math.max(1, result.requests.total),
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export async function benchMiddleware(options: BenchOptions, app: AppProcess, session: Cookies): Promise<SectionResult> {
  // A short warm-up per scenario: the first requests compile and cache.
  for (const scenario of SCENARIOS) await cannon(app, scenario.path, 0.5, scenario.signedIn ? session : null);

  const runs = new Map<Scenario, Run[]>(SCENARIOS.map((s) => [s, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const scenario of rotated(SCENARIOS, round)) {
      runs.get(scenario)!.push(await cannon(app, scenario.path, options.httpSeconds, scenario.signedIn ? session : null));
    }
  }
  const of = (i: number) => runs.get(SCENARIOS[i]!)!;
  const rps = (i: number) => of(i).map((r) => r.perSecond);
  const pageRatio = ratioSpread(rps(1), rps(0));
  const jwksRatio = ratioSpread(rps(3), rps(2));
  const bad = SCENARIOS.flatMap((s) => runs.get(s)!).reduce((sum, r) => sum + r.non2xx + r.errors, 0);

  return {
    title: "2. Middleware overhead over HTTP (`next start`)",
    method:
      `autocannon, ${CONNECTIONS} connections, ${options.httpSeconds} s per scenario and round, ${options.rounds} rounds ` +
      "with the order rotated, against one `node server.mjs` instance (PGlite). Signed in means a valid access JWT and " +
      "the refresh cookie, as a browser sends them: the middleware verifies the JWT and never refreshes.",
    tables: [
      {
        headers: ["request", "req/s", "p50 ms", "p99 ms", "x anonymous", "app CPU ms per request"],
        rows: SCENARIOS.map((scenario, i) => {
          const own = of(i);
          const base = i < 2 ? rps(0) : rps(2);
          return [
            scenario.name,
            fmt(spread(own.map((r) => r.perSecond))),
            fmt(spread(own.map((r) => r.p50)), 1),
            fmt(spread(own.map((r) => r.p99)), 1),
            fmt(ratioSpread(own.map((r) => r.perSecond), base), 2),
            cpuCell(own.map((r) => r.serverCpuMs)),
          ];
        }),
      },
    ],
    targets: [
      {
        what: "the same page signed in (protected) vs public",
        goal: "≥ 0.95x",
        measured: fmt(pageRatio, 2, "x"),
        met: pageRatio.median >= 0.95,
      },
    ],
    notes: [
      "`/` renders the same page for both; signed in, the page's top bar also asks the data access layer, which " +
        "re-verifies the JWT and checks in the database that the session is live (contract invariant 5): that is " +
        "part of what being signed in costs, not of the middleware.",
      `The JWKS route does the same work either way, so its pair isolates the middleware's own check: ${fmt(jwksRatio, 2, "x")}.`,
      ...(bad > 0 ? [`**${bad} requests answered non-2xx or failed** (see the run's output).`] : []),
    ],
  };
}
