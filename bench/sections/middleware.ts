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

export type MiddlewareTarget = { label: string; app: AppProcess; session: Cookies };

/** One route asked anonymously and signed in: the two halves of a comparison. */
type Pair = { target: MiddlewareTarget; path: string; primary: boolean };
type Scenario = { pair: Pair; signedIn: boolean };

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

export async function benchMiddleware(options: BenchOptions, targets: MiddlewareTarget[]): Promise<SectionResult> {
  // `/` on every database; the JWKS route only once: it never touches the database.
  const pairs: Pair[] = [
    ...targets.map((target) => ({ target, path: "/", primary: true })),
    { target: targets[0]!, path: "/.well-known/jwks.json", primary: false },
  ];
  const scenarios: Scenario[] = pairs.flatMap((pair) => [false, true].map((signedIn) => ({ pair, signedIn })));
  const fire = (scenario: Scenario, seconds: number) =>
    cannon(scenario.pair.target.app, scenario.pair.path, seconds, scenario.signedIn ? scenario.pair.target.session : null);

  // A short warm-up per scenario: the first requests compile and cache.
  for (const scenario of scenarios) await fire(scenario, 0.5);
  const runs = new Map<Scenario, Run[]>(scenarios.map((s) => [s, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const scenario of rotated(scenarios, round)) runs.get(scenario)!.push(await fire(scenario, options.httpSeconds));
  }

  const rps = (pair: Pair, signedIn: boolean) =>
    runs.get(scenarios.find((s) => s.pair === pair && s.signedIn === signedIn)!)!.map((r) => r.perSecond);
  const ratio = (pair: Pair) => ratioSpread(rps(pair, true), rps(pair, false));
  const jwks = pairs.find((pair) => !pair.primary)!;
  const bad = [...runs.values()].flat().reduce((sum, r) => sum + r.non2xx + r.errors, 0);

  return {
    title: "2. Middleware overhead over HTTP (`next start`)",
    method:
      `autocannon, ${CONNECTIONS} connections, ${options.httpSeconds} s per scenario and round, ${options.rounds} rounds ` +
      "with the order rotated, against `node server.mjs` instances. Signed in means a valid access JWT and the refresh " +
      "cookie, as a browser sends them: the middleware verifies the JWT and never refreshes.",
    tables: [
      {
        headers: ["database", "request", "req/s", "p50 ms", "p99 ms", "x anonymous", "app CPU ms per request"],
        rows: scenarios.map((scenario) => {
          const own = runs.get(scenario)!;
          return [
            scenario.pair.target.label,
            `\`${scenario.pair.path}\` ${scenario.signedIn ? "signed in" : "anonymous"}`,
            fmt(spread(own.map((r) => r.perSecond))),
            fmt(spread(own.map((r) => r.p50)), 1),
            fmt(spread(own.map((r) => r.p99)), 1),
            fmt(ratioSpread(own.map((r) => r.perSecond), rps(scenario.pair, false)), 2),
            cpuCell(own.map((r) => r.serverCpuMs)),
          ];
        }),
      },
    ],
    targets: pairs
      .filter((pair) => pair.primary)
      .map((pair) => ({
        what: `\`/\` signed in (protected) vs anonymous (public), ${pair.target.label}`,
        goal: "≥ 0.95x",
        measured: fmt(ratio(pair), 2, "x"),
        met: ratio(pair).median >= 0.95,
      })),
    notes: [
      "`/` is one page for both. Signed in, the middleware and the page each check the access token (in full on its " +
        "first request, from the remembered verdict after that: docs/decisions/0012), and the page renders the " +
        "signed-in top bar (name, sign-out form) from the token, with no database read (docs/decisions/0013).",
      `The JWKS route does the same work either way, so its pair isolates the middleware's own check: ${fmt(ratio(jwks), 2, "x")}.`,
      ...(bad > 0 ? [`**${bad} requests answered non-2xx or failed** (see the run's output).`] : []),
    ],
  };
}
