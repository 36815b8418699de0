import { appOrigin } from "@/lib/env";
import { sameOriginPath } from "@/lib/http/same-origin-path";

// Edge-safe. `next=` targets must stay on our origin: resolve against APP_URL
// and keep only the path if the origin did not change (lib/http/same-origin-path.ts).
// `//evil`, `/\evil`, `/\t/evil`, `/%09/evil`, `https:evil` and `javascript:`
// all go home.

/** Encoding layers a path is unwrapped through; a deeper one is refused. */
const MAX_DECODE_ROUNDS = 3;

export function safeNextPath(value: string | null | undefined, fallback = "/dashboard"): string {
  const url = sameOriginUrl(value);
  if (!url) return fallback;
  // SECURITY.md: `/%09/evil` goes home too. A path that only stays on origin
  // while still encoded (`/%09/evil`, `/%2F%2Fevil`, or encoded twice) leaves
  // it for any consumer that decodes once more, so each decoded form must pass
  // the same test (so `/%0d%0a…` and `/a%20b`, which decode to a CR LF and a
  // space, go home). Iterated a bounded number of times, never recursively:
  // the URL parser re-encodes some characters (`/café` reads back as
  // `/caf%C3%A9`), so such paths never reach a fixed point (regression:
  // `next=/a%20b` overflowed the stack).
  let pathname = url.pathname;
  for (let round = 0; ; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return fallback;
    }
    if (decoded === pathname) break;
    const inner = sameOriginUrl(decoded);
    if (!inner) return fallback;
    if (inner.pathname === pathname) break;
    if (round + 1 === MAX_DECODE_ROUNDS) return fallback;
    pathname = inner.pathname;
  }
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The URL a `next` value names, if it is a path that stays on our origin; null otherwise. */
function sameOriginUrl(value: string | null | undefined): URL | null {
  if (!value || value.length > 2048) return null;
  return sameOriginPath(value, appOrigin());
}
