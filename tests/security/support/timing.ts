import { expect } from "@playwright/test";
import { SIGNUP_COOKIE } from "../../e2e/support/cookies";

// Response-time comparisons that hold on a busy two-core machine: branches are
// sampled in interleaved rounds (in a fresh random order each round), so load
// from elsewhere falls on all of them alike, and compared by median, which a
// few stalls do not move. The band is the brief's: medians within 150 ms, or
// within 1.5x of each other. One bcrypt at cost 12 is ~300 ms on an idle core
// and several times that on a busy one, so a branch that skips it falls out.

export const ROUNDS = 9;
const MAX_DIFFERENCE_MS = 150;
const MAX_RATIO = 1.5;

export type Sample = { ms: number; response: Response; body: string };

/** `rounds` samples of every branch, interleaved. */
export async function sampleBranches<K extends string>(
  branches: Record<K, () => Promise<Response>>,
  rounds = ROUNDS,
): Promise<Record<K, Sample[]>> {
  const names = Object.keys(branches) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as Sample[]])) as Record<K, Sample[]>;
  for (let round = 0; round < rounds; round++) {
    for (const name of [...names].sort(() => Math.random() - 0.5)) {
      const started = performance.now();
      const response = await branches[name]();
      const body = await response.text();
      samples[name].push({ ms: performance.now() - started, response, body });
    }
  }
  return samples;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Whether two sets of timings are alike by the band above. */
export function similar(a: Sample[], b: Sample[]): { alike: boolean; summary: string } {
  const [ma, mb] = [median(a.map((s) => s.ms)), median(b.map((s) => s.ms))];
  const difference = Math.abs(ma - mb);
  const ratio = Math.max(ma, mb) / Math.max(1, Math.min(ma, mb));
  return {
    alike: difference < MAX_DIFFERENCE_MS || ratio < MAX_RATIO,
    summary: `medians ${ma.toFixed(0)} ms and ${mb.toFixed(0)} ms (difference ${difference.toFixed(0)} ms, ratio ${ratio.toFixed(2)})`,
  };
}

/** Every pair of branches answers in alike time. */
export function expectAlikeTimings(samples: Record<string, Sample[]>): void {
  const names = Object.keys(samples);
  for (const [i, a] of names.entries()) {
    for (const b of names.slice(i + 1)) {
      const { alike, summary } = similar(samples[a]!, samples[b]!);
      expect(alike, `${a} vs ${b}: ${summary}`).toBe(true);
    }
  }
}

/**
 * Every sample of every branch got the same status, body and Set-Cookie names;
 * none of them an auth cookie. Sign-up sets its marker for new and existing
 * addresses alike (docs/decisions/0019); nothing else sets any.
 */
export function expectIdenticalAnswers(samples: Record<string, Sample[]>): void {
  const shape = (sample: Sample) => ({
    status: sample.response.status,
    body: sample.body,
    contentType: sample.response.headers.get("content-type"),
    cacheControl: sample.response.headers.get("cache-control"),
    retryAfter: sample.response.headers.get("retry-after"),
    cookies: sample.response.headers.getSetCookie().map((line) => line.slice(0, line.indexOf("="))),
  });
  const [first] = Object.values(samples)[0]!;
  for (const [name, list] of Object.entries(samples)) {
    for (const sample of list) expect(shape(sample), name).toEqual(shape(first!));
  }
  expect(shape(first!).cookies.filter((name) => name !== SIGNUP_COOKIE)).toEqual([]);
}
