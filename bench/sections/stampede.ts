import { unsealRefreshToken } from "@/lib/auth/sessions/refresh-token";
import { freshAddress, send } from "../lib/http";
import type { Secrets } from "../lib/instances";
import { fmt, type SectionResult } from "../lib/markdown";
import type { BenchOptions } from "../lib/options";
import { ACCESS_COOKIE, REFRESH_COOKIE, expiredCopy, logIn } from "../lib/session";
import { percentile, spread } from "../lib/stats";

// Section 4: a page that fires many requests at once with an expired access
// token. Each request makes the middleware refresh on its own (Next runs one middleware per request, none shared);
// contract invariant 3 says they all succeed and converge on one successor.
// This process knows AUTH_SECRET (run.ts gave the instances its own), so it
// can unseal the refresh cookies that come back and compare the tokens inside.

const REQUESTS = 100;

export type StampedeTarget = { label: string; origin: string };

type Outcome = { ok: number; successors: number; convergeMs: number; p50: number; p99: number; successorWorks: boolean };

async function stampede(origin: string, secrets: Secrets): Promise<Outcome> {
  const session = await logIn(origin);
  const cookies = { [ACCESS_COOKIE]: await expiredCopy(session[ACCESS_COOKIE]!, secrets), [REFRESH_COOKIE]: session[REFRESH_COOKIE]! };
  const ip = freshAddress(); // one browser, one address: its 100 refreshes count against one per-IP limit
  const started = performance.now();
  const replies = await Promise.all(Array.from({ length: REQUESTS }, () => send(origin, "/api/me", { cookies, ip })));
  const convergeMs = performance.now() - started;

  const sealed = replies.map((reply) => reply.setCookies[REFRESH_COOKIE]);
  const raw = sealed.map((value) => unsealRefreshToken(value));
  const successors = new Set(raw.filter((token): token is string => token !== null));
  // The successor is live: it refreshes once more.
  const next = sealed.find(Boolean);
  const check = next ? await send(origin, "/api/auth/refresh", { method: "POST", cookies: { [REFRESH_COOKIE]: next }, ip }) : null;
  const latencies = replies.map((reply) => reply.ms);
  return {
    ok: replies.filter((reply) => reply.status === 200 && reply.setCookies[REFRESH_COOKIE]).length,
    successors: successors.size,
    convergeMs,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    successorWorks: check?.status === 200,
  };
}

export async function benchStampede(options: BenchOptions, targets: StampedeTarget[], secrets: Secrets): Promise<SectionResult> {
  const outcomes = new Map<StampedeTarget, Outcome[]>(targets.map((t) => [t, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const target of targets) outcomes.get(target)!.push(await stampede(target.origin, secrets));
  }
  const all = [...outcomes.values()].flat();
  const correct = all.every((o) => o.ok === REQUESTS && o.successors === 1 && o.successorWorks);
  return {
    title: "4. Stampede: one expired access token, 100 requests at once",
    method:
      `Per round a fresh sign-in, its access token replaced by an expired one, then ${REQUESTS} concurrent GET /api/me ` +
      "with that token and the refresh cookie from one client address. The middleware refreshes for each of them; " +
      `every refresh cookie that comes back is unsealed and the tokens inside compared. ${options.rounds} rounds.`,
    tables: [
      {
        headers: ["database", "answered 200 with cookies", "distinct successors", "successor refreshes", "all answered (ms)", "p50 ms", "p99 ms"],
        rows: targets.map((target) => {
          const own = outcomes.get(target)!;
          return [
            target.label,
            own.map((o) => `${o.ok}/${REQUESTS}`).join(", "),
            own.map((o) => String(o.successors)).join(", "),
            own.every((o) => o.successorWorks) ? "yes" : "**no**",
            fmt(spread(own.map((o) => o.convergeMs))),
            fmt(spread(own.map((o) => o.p50))),
            fmt(spread(own.map((o) => o.p99))),
          ];
        }),
      },
    ],
    targets: [
      {
        what: "every request succeeds, exactly one successor, and it is live",
        goal: `${REQUESTS}/${REQUESTS}, 1`,
        measured: correct ? "yes, every round" : "**no** (see the table)",
        met: correct,
      },
    ],
    notes: ["Counts are listed per round."],
  };
}
